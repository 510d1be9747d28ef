// A partner call inside an invocation with a hard time limit must give up in
// time to say so in words, rather than be cut off by the platform.

/** `work`'s result, or 'timeout' once `ms` have passed; the work itself is left to finish or fail unseen. */
export async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), Math.max(0, ms));
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
