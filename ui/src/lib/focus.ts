// The keyboard model: where focus goes when a screen opens, and dialogs that keep it.
import { tick } from 'svelte';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** After the next render: the element marked `data-autofocus` in `container`, else its first heading. */
export async function focusFirstUseful(container: HTMLElement | null | undefined): Promise<void> {
  await tick();
  if (!container) return;
  const marked = container.querySelector<HTMLElement>('[data-autofocus]');
  if (marked) {
    marked.focus();
    return;
  }
  const heading = container.querySelector<HTMLElement>('h1, h2');
  if (heading) {
    heading.tabIndex = -1;
    heading.focus();
  }
}

/** After the next render: the first field marked invalid in `container`, else `fallback`. */
export async function focusFirstInvalid(container: HTMLElement | null | undefined, fallback?: HTMLElement | null): Promise<void> {
  await tick();
  const field = container?.querySelector<HTMLElement>('[aria-invalid="true"]');
  (field ?? fallback)?.focus();
}

function focusables(node: HTMLElement): HTMLElement[] {
  return [...node.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.tabIndex >= 0 && el.getClientRects().length > 0);
}

/**
 * A modal dialog (`use:modal`): takes focus (the `[data-autofocus]` inside it, else the first
 * control), keeps Tab and Shift+Tab inside, and gives focus back to what had it when it closes.
 */
export function modal(node: HTMLElement) {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  void tick().then(() => {
    const first = node.querySelector<HTMLElement>('[data-autofocus]') ?? focusables(node)[0] ?? node;
    if (first === node && node.tabIndex < 0) node.tabIndex = -1;
    first.focus();
  });

  function onKey(event: KeyboardEvent) {
    if (event.key !== 'Tab') return;
    const list = focusables(node);
    const first = list[0];
    const last = list[list.length - 1];
    if (!first || !last) {
      event.preventDefault();
      return;
    }
    const active = document.activeElement;
    if (event.shiftKey && (active === first || !node.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !node.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  }
  document.addEventListener('keydown', onKey, true);

  return {
    destroy() {
      document.removeEventListener('keydown', onKey, true);
      if (opener?.isConnected) opener.focus();
    },
  };
}
