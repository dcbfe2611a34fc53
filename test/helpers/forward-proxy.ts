import { createServer, request, type IncomingMessage } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";

/** A plain-http forward proxy on 127.0.0.1 that counts what goes through it. */
export interface ForwardProxy {
  url: string;
  /** `POST /oauth/token`, `POST /v2/meetings/85746065/registrants`: forwarded requests and those seen inside tunnels. */
  requests: string[];
  /** CONNECT tunnels opened. */
  tunnels: number;
  /** Requests and CONNECTs refused (refuseConnect, refuseAll). */
  refused: number;
  /** The Proxy-Authorization headers received (decoded `user:password`), one per request or tunnel. */
  credentials: string[];
  close(): Promise<void>;
}

const requestLine = /(GET|POST|PUT|PATCH|DELETE|HEAD) (\/\S*) HTTP\/1\.[01]$/;

export interface ForwardProxyOptions {
  /** "user:password": anything else is answered 407, as a corporate proxy does. */
  requireCredentials?: string;
  /** CONNECT is answered 403, as a default squid answers it for any port but 443 (`http_access deny CONNECT !SSL_ports`). */
  refuseConnect?: boolean;
  /** Every request and CONNECT is answered with this status and the proxy's own HTML page: a proxy that forbids the host. */
  refuseAll?: number;
}

/** A squid-like error page: what a proxy's own answer looks like (no Zoom header, not JSON). */
const refusalPage = (status: number): string =>
  `HTTP/1.1 ${status} Refused\r\nContent-Type: text/html\r\nX-Squid-Error: ERR_ACCESS_DENIED 0\r\nContent-Length: 22\r\nConnection: close\r\n\r\n<h1>Access Denied</h1>`;

/**
 * Handles absolute-URI requests by forwarding them with node:http, and CONNECT by piping a socket to
 * the target; reads the request lines inside plain-http tunnels, so a test can count the calls.
 */
export async function startForwardProxy(options: ForwardProxyOptions = {}): Promise<ForwardProxy> {
  const sockets = new Set<Socket>();
  const proxy: Omit<ForwardProxy, "url" | "close"> = { requests: [], tunnels: 0, refused: 0, credentials: [] };
  const allowed = (req: IncomingMessage): boolean => {
    const header = req.headers["proxy-authorization"];
    const decoded = header?.startsWith("Basic ") === true ? Buffer.from(header.slice(6), "base64").toString("utf8") : undefined;
    if (decoded !== undefined) proxy.credentials.push(decoded);
    return options.requireCredentials === undefined || decoded === options.requireCredentials;
  };

  const server = createServer((req, res) => {
    if (!allowed(req)) {
      res.writeHead(407, { "proxy-authenticate": 'Basic realm="test"' }).end();
      return;
    }
    if (options.refuseAll !== undefined) {
      proxy.refused += 1;
      res.writeHead(options.refuseAll, { "content-type": "text/html", "x-squid-error": "ERR_ACCESS_DENIED 0" }).end("<h1>Access Denied</h1>");
      return;
    }
    const target = new URL(req.url ?? "/");
    proxy.requests.push(`${req.method ?? "GET"} ${target.pathname}${target.search}`);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !name.startsWith("proxy-")));
    const upstream = request(target, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });

  server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    if (!allowed(req)) {
      client.end("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n\r\n");
      return;
    }
    if (options.refuseAll !== undefined || options.refuseConnect === true) {
      proxy.refused += 1;
      client.end(refusalPage(options.refuseAll ?? 403));
      return;
    }
    proxy.tunnels += 1;
    const [host, port] = (req.url ?? "").split(":");
    const upstream = connect(Number(port), host ?? "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
    // Plain http inside the tunnel: its request lines say which calls went through.
    let pending = head.toString("latin1");
    client.on("data", (chunk: Buffer) => {
      pending += chunk.toString("latin1");
      const lines = pending.split("\r\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const match = requestLine.exec(line);
        if (match !== null) proxy.requests.push(`${match[1]} ${match[2]}`);
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(proxy, {
    url: `http://127.0.0.1:${port}`,
    close: async (): Promise<void> => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
