import { api } from './api';

/**
 * The OS's print dialog for what the window shows (a receipt, the end-of-day sheet); saving as
 * PDF is one of its printers. Rust opens it, because macOS's web view ignores the page's own
 * `window.print()`; should that fail, the page's print is the next best thing.
 */
export async function printWhatIsShown(): Promise<void> {
  try {
    await api.printWindow();
  } catch {
    window.print();
  }
}
