// A tiny element builder: plain DOM, no framework.

export type Child = Node | string | number | null | undefined | false;
type AttrValue = string | number | boolean | null | undefined;
type Handler = (event: Event) => void;
export type Attrs = { [name: string]: AttrValue | Handler };

/** `h("button", { class: "x", onclick: fn }, "Text")`; false/null attributes and children are left out. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, "");
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Element, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === "number" ? String(child) : child);
  }
}

/** An element holding one of our own SVG symbols (never user text). */
export function svgIcon(svg: string, className = "symbol"): HTMLSpanElement {
  const span = h("span", { class: className, "aria-hidden": "true" });
  span.innerHTML = svg;
  return span;
}

/** A small colour sample; set through the CSSOM so a strict Content-Security-Policy allows it. */
export function swatch(color: string): HTMLSpanElement {
  const span = h("span", { class: "swatch", "aria-hidden": "true" });
  span.style.background = color;
  return span;
}

/**
 * Makes a container's children exactly `items`, in order, touching only what is out of place: removed items go,
 * new ones are inserted, and an item already in place is left alone, so the browser restyles and lays out only
 * what changed (a list whose one row moved does not redo the rest). An element that had focus and is still
 * there keeps it, though moving it took it out of the document for a moment.
 */
export function keepInOrder(container: Element, items: readonly Element[]): void {
  const focused = document.activeElement;
  const wanted = new Set<Element>(items);
  for (const child of [...container.children]) if (!wanted.has(child)) child.remove();
  let at = container.firstElementChild;
  for (const item of items) {
    if (at === item) at = item.nextElementSibling;
    else container.insertBefore(item, at);
  }
  if (focused instanceof HTMLElement && focused !== document.activeElement && container.contains(focused)) focused.focus({ preventScroll: true });
}

/** Sets an element's text when it differs: the same text set again still replaces its node and lays it out anew. */
export function setText(element: Element, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

let nextId = 0;
/** A page-unique id for label/aria wiring. */
export function uid(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/**
 * Replaces a container's children and, if focus was on an element carrying
 * `data-key` inside it, moves focus to the new element with the same key, so a
 * live update does not throw a keyboard user out of a list.
 */
export function replaceKeepingFocus(container: Element, children: (Child | Child[])[]): void {
  const active = document.activeElement;
  const focusedKey = active instanceof HTMLElement && container.contains(active) ? active.dataset["key"] : undefined;
  container.replaceChildren();
  append(container, children);
  if (focusedKey !== undefined) {
    const again = container.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusedKey)}"]`);
    again?.focus({ preventScroll: true });
  }
}

/** A definition list from label/value pairs; null values are left out. */
export function facts(rows: [string, Child | Child[]][]): HTMLDListElement {
  const dl = h("dl", { class: "facts" });
  for (const [label, value] of rows) {
    if (value === null || value === undefined || value === false) continue;
    dl.append(h("div", null, h("dt", null, label), h("dd", null, value)));
  }
  return dl;
}
