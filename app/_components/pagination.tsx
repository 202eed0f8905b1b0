import { Button } from "@/app/_components/ui";

/**
 * Previous/next between pages of results. With `total` (e.g. "12 users") it always shows, as
 * "12 users · page 1 of 2"; without, it shows nothing when everything fits on one page.
 */
export function Pagination({
  page,
  pageCount,
  onPage,
  total,
}: {
  page: number;
  pageCount: number;
  onPage: (page: number) => void;
  total?: string;
}) {
  if (pageCount <= 1 && total === undefined) return null;
  return (
    <nav aria-label="Pagination" className="flex items-center justify-between gap-3 text-sm">
      <p className="text-zinc-600 dark:text-zinc-400">
        {total === undefined ? `Page ${page} of ${pageCount}` : `${total} · page ${page} of ${pageCount}`}
      </p>
      <div className="flex gap-2">
        <Button variant="secondary" className="disabled:opacity-50" disabled={page <= 1} onClick={() => onPage(page - 1)}>
          Previous
        </Button>
        <Button variant="secondary" className="disabled:opacity-50" disabled={page >= pageCount} onClick={() => onPage(page + 1)}>
          Next
        </Button>
      </div>
    </nav>
  );
}
