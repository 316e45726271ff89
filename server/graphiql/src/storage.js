// GraphiQL keeps its tabs, queries, headers and history in a storage, localStorage by default.
// The headers hold the caller's bearer token, so partnernet's GraphiQL gets a storage of its own
// that lives in the page's memory only: closing or reloading the tab forgets everything, and
// nothing reaches localStorage or sessionStorage.

/** Returns a Storage (GraphiQL's localStorage-like interface) held in memory. */
export function memoryStorage() {
  const items = new Map();
  return {
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => {
      items.set(key, String(value));
    },
    removeItem: (key) => {
      items.delete(key);
    },
    clear: () => items.clear(),
    get length() {
      return items.size;
    },
  };
}
