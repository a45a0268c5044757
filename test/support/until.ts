/**
 * Waits for a condition, never for a fixed time (issue #19: a fixed 300 ms was too short on a loaded
 * machine). Polls `check` until it holds; after `timeoutMs` fails with what was awaited.
 */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
