export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as { __anxinPg?: { close(): Promise<void> } }).__anxinPg;
  await pg?.close();
}
