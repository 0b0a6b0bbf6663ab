/**
 * A value computed only if something awaits it. graphql-js awaits a field's value when it is a
 * thenable, so a connection's `totalCount` costs a query only when the client selects it.
 */
export function lazy<T>(compute: () => Promise<T>): PromiseLike<T> {
  let promise: Promise<T> | undefined;
  return {
    then(onFulfilled, onRejected) {
      promise ??= compute();
      return promise.then(onFulfilled, onRejected);
    },
  };
}
