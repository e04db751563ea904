/** Byte counts of text and their display, for limits and the messages that name them. */
const MiB = 1024 * 1024;

/** The UTF-8 size of `text` (0 when absent). */
export function byteSize(text: string | undefined): number {
  return text === undefined ? 0 : Buffer.byteLength(text, "utf8");
}

/** "1 MiB", "64 KiB", "30.0 MiB", "512 B". */
export function formatSize(bytes: number): string {
  if (bytes >= MiB) return Number.isInteger(bytes / MiB) ? `${bytes / MiB} MiB` : `${(bytes / MiB).toFixed(1)} MiB`;
  if (bytes >= 1024) return Number.isInteger(bytes / 1024) ? `${bytes / 1024} KiB` : `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}
