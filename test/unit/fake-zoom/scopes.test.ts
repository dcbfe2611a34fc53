import { describe, expect, it } from "vitest";
import { defaultEventIds } from "../../../src/fake-zoom/defaults.js";
import { allGrantedScopes, hasScopeFor, operationScopes } from "../../../src/fake-zoom/scopes.js";
import type { FakeApp } from "../../../src/fake-zoom/types.js";
import { operation } from "./contract.js";
import { api, basicAuth, bodyOf, fakeWithClock, person, tokenRequest } from "./helpers.js";

const meetingAdd = `/v2/meetings/${defaultEventIds.meeting}/registrants`;

function tokenOf(fake: ReturnType<typeof fakeWithClock>["fake"], app: Pick<FakeApp, "clientId" | "clientSecret">): string {
  const response = fake.handle(tokenRequest(undefined, basicAuth(app.clientId, app.clientSecret)));
  return bodyOf(response).access_token as string;
}

describe("the scope table", () => {
  it.each(Object.keys(operationScopes))("lists the scopes Zoom's document gives %s", (operationId) => {
    const scopes = (operation(operationId) as unknown as { scopes: Record<string, string[]> }).scopes;
    expect(operationScopes[operationId]).toEqual({ granular: scopes["x-granular-scopes"], classic: scopes["x-macro-scopes"] });
  });

  it("grants a default app one scope of every operation", () => {
    const granted = new Set(allGrantedScopes());
    expect(Object.keys(operationScopes).filter((operationId) => !hasScopeFor(operationId, granted))).toEqual([]);
  });
});

describe("scopes of an app's token", () => {
  const narrowApp: FakeApp = { clientId: "narrow", clientSecret: "narrow-secret", scopes: ["meeting:read:meeting:admin"] };
  const classicApp: FakeApp = { clientId: "classic", clientSecret: "classic-secret", scopes: ["meeting:write:admin"] };

  it("refuses an operation the token has no scope for with 400 code 4711 listing the granular scopes", () => {
    const { fake } = fakeWithClock({ apps: [narrowApp] });
    const response = fake.handle(api(tokenOf(fake, narrowApp), "POST", meetingAdd, person(1)));
    expect([response.status, bodyOf(response)]).toEqual([
      400,
      { code: 4711, message: "Invalid access token, does not contain scopes:[meeting:write:registrant, meeting:write:registrant:admin]." },
    ]);
  });

  it("lets the token call what its scopes cover", () => {
    const { fake } = fakeWithClock({ apps: [narrowApp] });
    expect(fake.handle(api(tokenOf(fake, narrowApp), "GET", `/v2/meetings/${defaultEventIds.meeting}`)).status).toBe(200);
  });

  it("accepts a classic scope where the document lists it as a macro scope", () => {
    const { fake } = fakeWithClock({ apps: [classicApp] });
    expect(fake.handle(api(tokenOf(fake, classicApp), "POST", meetingAdd, person(1))).status).toBe(201);
  });

  it("does not execute a call refused for scopes", () => {
    const { fake } = fakeWithClock({ apps: [narrowApp] });
    fake.handle(api(tokenOf(fake, narrowApp), "POST", meetingAdd, person(1)));
    expect(fake.ledger().events[`meeting:${defaultEventIds.meeting}`]).toEqual({});
  });

  it("tells the app's scopes in the token answer", () => {
    const { fake } = fakeWithClock({ apps: [classicApp] });
    expect(bodyOf(fake.handle(tokenRequest(undefined, basicAuth(classicApp.clientId, classicApp.clientSecret)))).scope).toBe("meeting:write:admin");
  });

  it("issues tokens to every app of the account and refuses a wrong secret for any of them", () => {
    const { fake } = fakeWithClock({ apps: [narrowApp, classicApp] });
    const answers = [
      fake.handle(tokenRequest(undefined, basicAuth(narrowApp.clientId, narrowApp.clientSecret))).status,
      fake.handle(tokenRequest(undefined, basicAuth(classicApp.clientId, classicApp.clientSecret))).status,
      fake.handle(tokenRequest(undefined, basicAuth(classicApp.clientId, narrowApp.clientSecret))).status,
    ];
    expect(answers).toEqual([200, 200, 400]);
  });
});
