// JSON-RPC over node:http for the load benchmark (bench.mjs and its eth_call threads,
// call-worker.mjs): one keep-alive agent per thread.
import http from "node:http";

export class RpcError extends Error {
  constructor(method, message, code, data) {
    super(`${method}: ${message}${code !== undefined ? ` (code ${code})` : ""}`);
    this.method = method;
    this.code = code;
    this.data = data;
  }
}
let lastId = 0;
/** A request id unique in this thread. */
export const nextId = () => ++lastId;
// node:http with keep-alive rather than fetch: about half the client CPU per request, and the
// load generator shares the machine with the endpoint.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
function post(url, body, timeoutMs) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) }, timeout: timeoutMs },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}
/** `method(params)` at `url`: its result, or an RpcError naming the method. */
export async function rpc(url, method, params = [], timeoutMs = 120_000) {
  let res;
  try {
    res = await post(url, JSON.stringify({ jsonrpc: "2.0", id: nextId(), method, params }), timeoutMs);
  } catch (e) {
    throw new RpcError(method, `transport: ${e.message}`);
  }
  let body;
  try {
    body = JSON.parse(res.text);
  } catch {
    throw new RpcError(method, `HTTP ${res.status}: ${res.text.slice(0, 200)}`);
  }
  if (body.error) throw new RpcError(method, body.error.message, body.error.code, body.error.data);
  return body.result;
}
