/**
 * The node:http plumbing both adapters share: listen on loopback, hand each request to an answer
 * function, close without waiting for idle keep-alive sockets.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { FakeResponse } from "./types.js";

export interface ListeningServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  close(): Promise<void>;
}

export type RequestListener = (request: IncomingMessage, response: ServerResponse, baseUrl: string) => void;

export async function listen(host: string, port: number, onRequest: RequestListener): Promise<ListeningServer> {
  let baseUrl = "";
  const server = createServer((request, response) => onRequest(request, response, baseUrl));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostInUrl = address.family === "IPv6" ? `[${address.address}]` : address.address;
  baseUrl = `http://${hostInUrl}:${address.port}`;
  return {
    url: baseUrl,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        // Clients keep connections alive; close them now rather than after the idle timeout.
        server.closeAllConnections();
      }),
  };
}

/** Reads the whole body as UTF-8 (bodies here are small JSON or form documents). */
export function readBody(request: IncomingMessage, onBody: (body: string) => void): void {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => onBody(chunks.length === 0 ? "" : Buffer.concat(chunks).toString("utf8")));
  request.on("error", () => request.destroy());
}

/** node already lower-cases names; repeated headers are joined as HTTP allows. */
export function headerRecord(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const record: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) record[name] = Array.isArray(value) ? value.join(", ") : value;
  return record;
}

export function writeFakeResponse(response: ServerResponse, answer: FakeResponse): void {
  const body = answer.body ?? "";
  // An explicit length keeps the answer in one un-chunked write.
  response.writeHead(answer.status, { ...answer.headers, "content-length": Buffer.byteLength(body) });
  response.end(body);
}
