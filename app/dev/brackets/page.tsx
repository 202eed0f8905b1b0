import type { Metadata } from "next";
import { PageHeader } from "@/app/_components/ui";
import { requireUser } from "@/server/accounts/session";
import { BracketPreview } from "./bracket-preview";
import { isSampleKey } from "./samples";

export const metadata: Metadata = { title: "Brackets (development)" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function DevBracketsPage({ searchParams }: Props) {
  // Anyone may look on a development machine; in production only administrators (as /dev/mail).
  if (process.env.NODE_ENV === "production") await requireUser("/dev/brackets", "admin");
  const params = await searchParams;
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const sample = first(params.sample);
  return (
    <>
      <PageHeader
        title="Bracket drawings"
        description="Sample brackets built in the browser by the bracket engine with seeded random results. Light or dark follows the system setting."
      />
      <BracketPreview
        sample={isSampleKey(sample) ? sample : "se8"}
        variant={first(params.variant) === "embed" ? "embed" : "full"}
        you={first(params.you) ?? null}
        links={first(params.links) === "1"}
      />
    </>
  );
}
