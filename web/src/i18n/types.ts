/** The same keys as `T` with any text: a translation must have every key of the English messages, no more. */
export type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };

/** One screen's messages in both languages. */
export interface Namespace<T> {
  readonly en: T;
  readonly 'zh-CN': Messages<T>;
}

/** `namespace({...english}, {...chinese})`: the Chinese must have exactly the English keys (checked at compile time). */
export function namespace<const T>(en: T, zhCN: Messages<T>): Namespace<T> {
  return { en, 'zh-CN': zhCN };
}
