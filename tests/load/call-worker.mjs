// One thread of bench.mjs's eth_call phase: `concurrency` clients, each calling balanceOf in a loop
// until the deadline, every answer checked against the balance read before the phase. A single
// node thread saturates (one core) before a fast endpoint does on a small machine: the phase runs
// in --call-threads of these so that it measures the endpoint more than the load generator.
import { parentPort, workerData } from "node:worker_threads";
import { rpc } from "./rpc.mjs";

const { url, to, datas, expected, concurrency, deadlineMs } = workerData;
const now = () => performance.now();
const deadline = now() + deadlineMs;
const latencies = [];
const problems = [];
let ok = 0;
let k = 0;
async function client() {
  while (now() < deadline) {
    const i = k++ % datas.length;
    const start = now();
    try {
      const r = await rpc(url, "eth_call", [{ to, data: datas[i] }, "latest"], 30_000);
      latencies.push(now() - start);
      if (BigInt(r) !== BigInt(expected[i])) problems.push(["call: eth_call balanceOf", `returned ${r}, expected ${expected[i]}`]);
      else ok++;
    } catch (e) {
      problems.push(["call", e.message]);
    }
  }
}
const t0 = now();
await Promise.all(Array.from({ length: concurrency }, client));
parentPort.postMessage({ ok, latencies, problems, seconds: (now() - t0) / 1000 });
