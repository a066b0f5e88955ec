// Rendered on each request, so the server (not a prebuilt file) answers.
export const dynamic = "force-dynamic";

// NEXT_PUBLIC_ values are inlined by `next build`: a build arg, not a runtime setting.
const greeting = process.env.NEXT_PUBLIC_GREETING ?? "no greeting";

export default function Page() {
  return <p>{`hello from next-standalone (${greeting})`}</p>;
}
