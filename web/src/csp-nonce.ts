// The style nonce of this page. Kiln writes a fresh one into each index.html and allows
// only <style> elements that carry it, so every style the app writes at run time must.
// The browser hides a nonce attribute's value from the DOM; the `nonce` property keeps it.
const meta = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]');

/** Absent under `vite dev`, which sends no policy. */
export const CSP_NONCE: string | undefined = meta?.nonce || undefined;

/**
 * Ant Design passes the nonce to the styles of its components (ConfigProvider `csp`), but
 * a few helpers beneath it (the table's scrollbar measurement and the modal's scroll lock
 * in @rc-component/util) create <style> elements with no way to be given one. So every
 * <style> a script of the app creates carries it. A <style> in injected markup is made by
 * the HTML parser, not by createElement, and stays refused.
 */
export function stampStyleElements(): void {
  const nonce = CSP_NONCE;
  if (!nonce) return;
  const create = document.createElement.bind(document);
  document.createElement = (tagName: string, options?: ElementCreationOptions) => {
    const element = create(tagName, options);
    if (element instanceof HTMLStyleElement) element.nonce = nonce;
    return element;
  };
}
