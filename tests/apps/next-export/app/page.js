export default function Page() {
  return <p>hello from next-export</p>;
}
