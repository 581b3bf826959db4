// Runs the fixed-body list server in its own process, so the process under measurement
// spends its CPU on the client alone. Started with fork(); reports its URL over IPC and
// stops when the parent disconnects.
import { nativeListPage } from "./fixtures.mjs";
import { startFixedServer } from "./servers.mjs";

const snapshots = Number(process.argv[2]);
const server = await startFixedServer(
  nativeListPage({ total: snapshots, offset: 0, limit: snapshots }),
);
process.send({ url: server.url });
process.once("disconnect", () => server.close().then(() => process.exit(0)));
