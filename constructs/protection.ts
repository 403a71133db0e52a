/**
 * How a stateful resource is protected from destroy, in one place: in a protected environment it
 * refuses destroy (prevent_destroy) and is never emptied on the way out; elsewhere it can be
 * destroyed with its contents.
 */
export function protection(protect: boolean): {
  readonly forceDestroy: boolean;
  readonly lifecycle?: { readonly preventDestroy: true };
} {
  return protect ? { forceDestroy: false, lifecycle: { preventDestroy: true } } : { forceDestroy: true };
}
