import { m } from "../i18n";
import type { User } from "../picture/access";
import type { AnyEntityRecord, EntityKind, EntityRecord } from "../picture/protocol";
import type { PictureStore } from "../picture/store";
import type { PictureMap } from "../map/pictureMap";
import { h, replaceKeepingFocus, type Child } from "../ui/dom";
import type { Action } from "../ui/forms";
import { onSelect, select, selected, type Selection } from "../ui/selection";
import { targetOf, type May } from "./permissions";

/** What a panel needs to build its forms and views. */
export interface PanelContext {
  store: PictureStore;
  map: PictureMap;
  /** The signed-in person. */
  user: User;
  /** Why they may not send a command (shown, and the control disabled), or null. */
  may: May;
  /** The uppdrag steps the server's rules allow from a status. */
  stepsFrom: (status: string) => string[];
}

/** How one kind of entity shows in the details panel, and which changes it offers. */
export interface DetailView<K extends EntityKind> {
  kindLabel: string;
  view(record: EntityRecord<K>, context: PanelContext): Child[];
  actions(record: EntityRecord<K>, context: PanelContext): Action[];
}

export type DetailViews = { [K in EntityKind]: DetailView<K> };

/**
 * The details panel: the selected entity, kept current as deltas arrive, with
 * buttons that open one form at a time. An open form is never re-rendered under
 * the operator's hands. A change the signed-in person may not make keeps its
 * button, disabled, with the reason written beside it.
 */
export function detailsPanel(context: PanelContext, views: DetailViews, register: Action): { section: HTMLElement; refresh(): void } {
  const heading = h("h2", { id: "details-heading", tabindex: "-1" });
  const closeButton = h("button", { type: "button", class: "close", "aria-label": m.panels.close }, "✕");
  const body = h("div", { class: "details-body" });
  const actions = h("div", { class: "details-actions" });
  const formHost = h("div", { class: "details-form" });
  const status = h("p", { class: "details-status", role: "status" });
  const section = h("section", { class: "panel details", id: "details", "aria-labelledby": "details-heading", hidden: true },
    h("div", { class: "panel-head" }, heading, closeButton), body, actions, formHost, status);

  let openAction: string | null = null;
  let returnFocus: HTMLElement | null = null;

  closeButton.addEventListener("click", () => {
    select(null, "list");
    returnFocus?.focus();
  });

  function closeForm(message = ""): void {
    openAction = null;
    formHost.replaceChildren();
    status.textContent = message;
    refresh();
  }

  function open(action: Action): void {
    openAction = action.label;
    status.textContent = "";
    const form = action.build((message) => closeForm(message), () => closeForm());
    form.dataset["command"] = action.command;
    formHost.replaceChildren(form);
    refresh();
    form.querySelector<HTMLElement>("input:not([type=hidden]), select, textarea, button")?.focus();
  }

  function refresh(): void {
    const selection = selected();
    section.hidden = selection === null;
    if (selection === null) return;
    if (selection.kind === "NewSafetyPoint") {
      heading.textContent = register.label;
      body.replaceChildren();
      actions.replaceChildren();
      return;
    }
    const record = context.store.get(selection.kind, selection.id) as AnyEntityRecord | undefined;
    if (!record) {
      heading.textContent = selection.id;
      body.replaceChildren(h("p", null, m.panels.empty));
      actions.replaceChildren();
      return;
    }
    const view = views[record.kind] as DetailView<EntityKind>;
    heading.textContent = `${view.kindLabel}: ${record.state.name}`;
    replaceKeepingFocus(body, view.view(record, context));
    // Each distinct reason is written once, and every button it disables points at it.
    const reasons = new Map<string, string>();
    const buttons = actionsOf(record).map(({ action, refused }) => {
      if (refused && !reasons.has(refused)) reasons.set(refused, `details-refused-${reasons.size + 1}`);
      return h("button", {
        type: "button",
        "data-key": action.label,
        "data-command": action.command,
        disabled: refused !== null,
        "aria-describedby": refused ? reasons.get(refused) : undefined,
        "aria-expanded": refused ? undefined : String(openAction === action.label),
        onclick: () => (openAction === action.label ? closeForm() : open(action)),
      }, action.label);
    });
    replaceKeepingFocus(actions, [
      ...buttons,
      [...reasons].map(([reason, id]) => h("p", { class: "refused", id }, reason)),
    ]);
  }

  function actionsOf(record: AnyEntityRecord): { action: Action; refused: string | null }[] {
    const target = targetOf(record);
    return (views[record.kind] as DetailView<EntityKind>).actions(record, context)
      .map((action) => ({ action, refused: context.may({ command: action.command, ...target }) }));
  }

  onSelect((selection: Selection | null) => {
    const previous = document.activeElement;
    returnFocus = previous instanceof HTMLElement && !section.contains(previous) ? previous : returnFocus;
    openAction = null;
    formHost.replaceChildren();
    status.textContent = "";
    refresh();
    if (selection === null) return;
    if (selection.kind === "NewSafetyPoint") {
      open(register);
    } else {
      const record = context.store.get(selection.kind, selection.id);
      const only = record ? actionsOf(record as AnyEntityRecord) : [];
      if (only.length === 1 && only[0] && only[0].refused === null) open(only[0].action);
      else heading.focus();
    }
  });

  return { section, refresh };
}
