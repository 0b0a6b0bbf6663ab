/**
 * Region subtrees, matched by an exact path prefix: the subtree of a node is the node itself and
 * every node whose path starts with its path followed by '/'. Paths are compared as plain text,
 * so `_` and `%` in codes are ordinary characters (with LIKE the subtree of `X_1` took in `X-1`).
 * Every SQL statement that walks the region tree uses these fragments.
 */

/** SQL: `path` lies strictly below `root` (both SQL expressions of type text). */
export function belowPath(path: string, root: string): string {
  return `starts_with(${path}, ${root} || '/')`;
}

/** SQL: `path` is `root` or lies below it. */
export function inSubtree(path: string, root: string): string {
  return `(${path} = ${root} or ${belowPath(path, root)})`;
}
