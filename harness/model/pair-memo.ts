/**
 * A function of two objects, computed once per pair and kept as long as both live (two WeakMaps):
 * a scenario's step judge per catalogue, its compiled templates per recorded ids, ... Any further
 * arguments are read on the pair's first call only: they must follow from the pair.
 */
export function pairMemo<A extends object, B extends object, V, R extends unknown[] = []>(make: (a: A, b: B, ...rest: R) => V): (a: A, b: B, ...rest: R) => V {
  const byFirst = new WeakMap<A, WeakMap<B, V>>();
  return (a, b, ...rest) => {
    let bySecond = byFirst.get(a);
    if (!bySecond) byFirst.set(a, (bySecond = new WeakMap()));
    if (bySecond.has(b)) return bySecond.get(b)!;
    const value = make(a, b, ...rest);
    bySecond.set(b, value);
    return value;
  };
}
