/** `build` the first time the returned function is called, its result after that (schemas built on first use). */
export function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}
