/**
 * A loopback relay in front of a hub that loses one answer (the network: the one part tests fake). Once a client sends
 * bytes holding `marker` (the wire client writes paths and inputs as plain text), the next answer from the hub on that
 * connection is not passed on: `whenAnswered` runs (e.g. it closes the hub's owner), then the client's connection is
 * cut, as the owner's exit would have cut it. Later connections are relayed untouched.
 */
import { createServer, connect, type Server, type Socket } from "node:net";

export async function lossyRelay(port: number, marker: string, whenAnswered: () => Promise<void>): Promise<{ server: Server; port: number; cut: () => boolean }> {
  let cut = false;
  const server = createServer((client: Socket) => {
    const hub = connect(port, "127.0.0.1");
    let armed = false;
    let dropping = false;
    client.on("data", (chunk: Buffer) => {
      if (!cut && chunk.includes(marker)) armed = true;
      hub.write(chunk);
    });
    hub.on("data", (chunk: Buffer) => {
      if (dropping) return;
      if (!armed) return void client.write(chunk);
      dropping = cut = true;
      void whenAnswered().finally(() => client.destroy());
    });
    for (const [a, b] of [[client, hub], [hub, client]] as const) {
      a.on("error", () => b.destroy());
      a.on("close", () => b.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as { port: number }).port, cut: () => cut };
}
