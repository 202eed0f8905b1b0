/** Shared by the page's prefetch and the history list, so both build the same query key. */
export const HISTORY_PAGE_SIZE = 25;

export const historyPaging = {
  getNextPageParam: (last: { nextCursor: string | null }) => last.nextCursor,
};
