/** A method of the wrapped object, called with that object as `this`. */
export type Method = (...args: unknown[]) => unknown;

/**
 * A Proxy of `target` whose methods are replaced by `wrap(name, method)`, made once per name and kept:
 * every other member (fields, getters, an adapter's extra methods the wrapper does not know about)
 * passes through untouched, so a decorated port keeps its adapter's own surface.
 */
export function wrapMethods<T extends object>(target: T, wrap: (name: PropertyKey, method: Method) => unknown): T {
  const wrappers = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function' || property === 'constructor') return value;
      let wrapper = wrappers.get(property);
      if (wrapper === undefined) {
        wrapper = wrap(property, value as Method);
        wrappers.set(property, wrapper);
      }
      return wrapper;
    },
  });
}
