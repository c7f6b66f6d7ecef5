import { CommandRefused, newIdempotencyKey, sendCommand, type CommandRequest } from "../api/http";
import { m } from "../i18n";
import type { CommandType } from "../picture/access";
import { h, uid } from "./dom";

/** Closes the form and shows what happened. */
export type FormDone = (message: string) => void;

/** A change an operator can make from the details panel. */
export interface Action {
  /** The command it sends; the button and the form carry it as `data-command`. */
  command: CommandType;
  label: string;
  build: (done: FormDone, cancel: () => void) => HTMLFormElement;
}

export interface FieldOptions {
  required?: boolean;
  type?: "text" | "number" | "tel" | "datetime-local";
  min?: number;
  max?: number;
  step?: number | "any";
  multiline?: boolean;
  autocomplete?: string;
  list?: string;
  /** Shown under the input and read with it. */
  hint?: string;
}

/** A labelled input; its `name` is the JSON field it fills, so server errors can point at it. */
export function field(label: string, name: string, value: string | number | null | undefined, options: FieldOptions = {}): HTMLElement {
  const id = uid(`f-${name}`);
  const hintId = options.hint ? `${id}-hint` : undefined;
  const attrs = {
    id, name,
    required: options.required ?? false,
    autocomplete: options.autocomplete ?? "off",
    "aria-describedby": hintId,
  };
  const input = options.multiline
    ? h("textarea", { ...attrs, rows: 2 }, value === null || value === undefined ? "" : String(value))
    : h("input", {
      ...attrs,
      type: options.type ?? "text",
      value: value ?? "",
      min: options.min, max: options.max, step: options.step,
      inputmode: options.type === "number" ? (options.step === "any" ? "decimal" : "numeric") : undefined,
      list: options.list,
    });
  return h("div", { class: "field" },
    h("label", { for: id }, label, options.required ? h("span", { class: "req" }, ` (${m.form.required})`) : null),
    input,
    options.hint ? h("p", { class: "hint", id: hintId }, options.hint) : null);
}

/** A choice: value, text, and whether it is offered but may not be chosen. */
export type Choice = readonly [value: string, text: string, disabled?: boolean];

/** A labelled select; `hint` is shown under it and read with it (e.g. why some choices are disabled). */
export function selectField(label: string, name: string, choices: readonly Choice[], value: string | null,
  { required = true, hint = null }: { required?: boolean; hint?: string | null } = {}): HTMLElement {
  const id = uid(`f-${name}`);
  const hintId = hint ? `${id}-hint` : undefined;
  const select = h("select", { id, name, required, "aria-describedby": hintId },
    value === null ? h("option", { value: "" }, m.form.choose) : null,
    choices.map(([v, text, disabled]) => h("option", { value: v, selected: v === value, disabled: disabled ?? false }, text)));
  const mark = required && value === null ? h("span", { class: "req" }, ` (${m.form.required})`) : null;
  return h("div", { class: "field" }, h("label", { for: id }, label, mark), select,
    hint ? h("p", { class: "hint", id: hintId }, hint) : null);
}

export function checkbox(label: string, name: string, checked: boolean, value = "true"): HTMLElement {
  const id = uid(`f-${name}`);
  return h("div", { class: "field check" }, h("input", { type: "checkbox", id, name, value, checked }), h("label", { for: id }, label));
}

/** The reason field every change offers, with "Internt": the reason is then hidden from partners. */
export function reasonField(required = false): HTMLElement {
  const reason = field(required ? m.form.reasonRequired : m.form.reason, "reason", "", { required, multiline: true });
  const internal = checkbox(m.form.internal, "internal", false);
  internal.querySelector("label")?.append(h("span", { class: "hint" }, ` (${m.form.internalHint})`));
  return h("div", { class: "reason" }, reason, internal);
}

export function text(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === "string" ? value.trim() : "";
}

export function textOrNull(data: FormData, name: string): string | null {
  return text(data, name) || null;
}

/** A number field's value; NaN when empty, which is sent as null so the server names the field. */
export function number(data: FormData, name: string): number {
  const value = text(data, name).replace(",", ".");
  return value === "" ? Number.NaN : Number(value);
}

export function numberOrNull(data: FormData, name: string): number | null {
  return text(data, name) === "" ? null : number(data, name);
}

/** Adds the reason when one was written, and `internal: true` when it is marked internal. */
export function withReason<T extends object>(body: T, data: FormData): T & { reason?: string; internal?: true } {
  const reason = text(data, "reason");
  const internal = data.has("internal") ? { internal: true as const } : {};
  return reason ? { ...body, reason, ...internal } : { ...body, ...internal };
}

/**
 * A form that sends one command. On refusal it shows the ProblemDetails
 * `detail` and `errors` beside the form (role=alert) and marks the fields named.
 */
export function commandForm(options: {
  title: string;
  fields: (HTMLElement | null)[];
  submitLabel?: string;
  request: (data: FormData) => CommandRequest;
  done: FormDone;
  cancel: () => void;
}): HTMLFormElement {
  const titleId = uid("form-title");
  const submit = h("button", { type: "submit", class: "primary" }, options.submitLabel ?? m.form.submit);
  const errorHost = h("div", { class: "form-error-host" });
  const form = h("form", { class: "command-form", "aria-labelledby": titleId },
    h("h3", { id: titleId }, options.title),
    options.fields,
    // Beside the buttons, where the eye is when the answer comes.
    errorHost,
    h("div", { class: "form-buttons" },
      submit,
      h("button", { type: "button", onclick: () => options.cancel() }, m.form.cancel)));

  // Kept while an attempt's fate is unknown (network error, a server error), so sending again cannot apply it twice.
  let idempotencyKey = newIdempotencyKey();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearErrors(form, errorHost);
    submit.disabled = true;
    submit.textContent = m.form.saving;
    sendCommand(options.request(new FormData(form)), idempotencyKey)
      .then(() => options.done(m.form.saved))
      .catch((error: unknown) => {
        // Unknown outcome (no answer, or the server failed mid-way): sending again with the same key completes what was begun.
        if (!(error instanceof CommandRefused && (error.status === null || error.status >= 500))) idempotencyKey = newIdempotencyKey();
        showRefusal(form, errorHost, error);
      })
      .finally(() => {
        submit.disabled = false;
        submit.textContent = options.submitLabel ?? m.form.submit;
      });
  });
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape") options.cancel();
  });
  return form;
}

/** Clears what {@link showRefusal} marked, before the next try. */
export function clearErrors(form: HTMLFormElement, errorHost: HTMLElement): void {
  errorHost.replaceChildren();
  for (const element of form.querySelectorAll("[aria-invalid]")) {
    element.removeAttribute("aria-invalid");
    element.removeAttribute("aria-describedby");
  }
  for (const element of form.querySelectorAll(".field-error")) element.remove();
}

/** Shows a refusal beside a form (role=alert) and marks the fields it names, each with its error text. */
export function showRefusal(form: HTMLFormElement, errorHost: HTMLElement, error: unknown): void {
  const refused = error instanceof CommandRefused ? error : null;
  const problem = refused?.problem ?? {};
  const lines: string[] = [];
  if (refused && refused.status === null) lines.push(m.form.networkError);
  if (problem.detail) lines.push(problem.detail);
  for (const [key, messages] of Object.entries(problem.errors ?? {})) {
    const input = inputFor(form, key);
    const text = messages.join(" ");
    if (input) {
      const id = uid("err");
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", id);
      input.insertAdjacentElement("afterend", h("p", { class: "field-error", id }, text));
    }
    // Name the field as the form labels it; a key the form has no field for is shown as it is.
    const label = input ? form.querySelector(`label[for="${CSS.escape(input.id)}"]`)?.firstChild?.textContent : null;
    lines.push(key ? `${label ?? key}: ${text}` : text);
  }
  if (lines.length === 0) lines.push(problem.title ?? (refused?.status ? m.form.statusCode(refused.status) : String(error)));
  errorHost.append(h("div", { role: "alert", class: "form-error" },
    h("strong", null, problem.title && problem.detail ? problem.title : m.form.refused),
    h("ul", null, lines.map((line) => h("li", null, line)))));
}

/** Finds the input a server error key ("Visitors", "$.resources.waterLitres", "body.Reason") points at. */
function inputFor(form: HTMLFormElement, key: string): HTMLElement | null {
  const last = key.split(/[.[\]]/).filter(Boolean).pop()?.toLowerCase();
  if (!last) return null;
  for (const element of form.querySelectorAll<HTMLInputElement>("input[name], select[name], textarea[name]")) {
    if (element.name.toLowerCase() === last) return element;
  }
  return null;
}
