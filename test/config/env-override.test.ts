import { describe, expect, it } from "vitest";
import { envProfile } from "../../src/config/env-override.js";
import { endpointAddress } from "../../src/engine/connection/endpoint.js";

/** What a set of variables resolves to: the endpoint dialled, TLS or not, the credential, the task hub. */
function resolve(env: NodeJS.ProcessEnv) {
  const profile = envProfile(env);
  if (profile?.connection.type !== "dts") throw new Error("no DTS profile");
  const { parsed } = profile.connection;
  const { address, useTls } = endpointAddress(parsed.endpoint, parsed.authentication !== "None");
  return { address, tls: useTls, credential: parsed.authentication, taskHub: profile.taskHub };
}

describe("the samples' environment variables, read as the samples read them", () => {
  it.each<[string, NodeJS.ProcessEnv, ReturnType<typeof resolve>]>([
    ["ENDPOINT without a scheme on localhost: the emulator, plaintext", { ENDPOINT: "localhost:8080" },
      { address: "localhost:8080", tls: false, credential: "None", taskHub: "default" }],
    ["ENDPOINT without a scheme on 127.0.0.1, with TASKHUB", { ENDPOINT: "127.0.0.1:8080", TASKHUB: "samples" },
      { address: "127.0.0.1:8080", tls: false, credential: "None", taskHub: "samples" }],
    ["ENDPOINT http:// on localhost", { ENDPOINT: "http://localhost:8080" },
      { address: "localhost:8080", tls: false, credential: "None", taskHub: "default" }],
    ["ENDPOINT https:// on localhost: TLS, still no credential", { ENDPOINT: "https://localhost:8443" },
      { address: "localhost:8443", tls: true, credential: "None", taskHub: "default" }],
    ["ENDPOINT https:// remote: Azure with DefaultAzure", { ENDPOINT: "https://s.westus2.durabletask.io", TASKHUB: "prod" },
      { address: "s.westus2.durabletask.io:443", tls: true, credential: "DefaultAzure", taskHub: "prod" }],
    ["ENDPOINT without a scheme, remote: https with DefaultAzure", { ENDPOINT: "s.westus2.durabletask.io" },
      { address: "s.westus2.durabletask.io:443", tls: true, credential: "DefaultAzure", taskHub: "default" }],
    ["DURABLE_TASK_SCHEDULER_CONNECTION_STRING", { DURABLE_TASK_SCHEDULER_CONNECTION_STRING: "Endpoint=https://s.io;Authentication=ManagedIdentity;TaskHub=h1" },
      { address: "s.io:443", tls: true, credential: "ManagedIdentity", taskHub: "h1" }],
    ["the connection string + TASKHUB_NAME (which wins, and supplies a missing TaskHub)",
      { DURABLE_TASK_SCHEDULER_CONNECTION_STRING: "Endpoint=s.io;Authentication=AzureCli", TASKHUB_NAME: "h2" },
      { address: "s.io:443", tls: true, credential: "AzureCli", taskHub: "h2" }],
    ["the emulator's connection string without TaskHub", { DURABLE_TASK_SCHEDULER_CONNECTION_STRING: "Endpoint=http://localhost:8080;Authentication=None" },
      { address: "localhost:8080", tls: false, credential: "None", taskHub: "default" }],
    ["the connection string wins over ENDPOINT",
      { DURABLE_TASK_SCHEDULER_CONNECTION_STRING: "Endpoint=http://127.0.0.1:9;Authentication=None;TaskHub=x", ENDPOINT: "s.westus2.durabletask.io" },
      { address: "127.0.0.1:9", tls: false, credential: "None", taskHub: "x" }],
  ])("%s", (_name, env, expected) => {
    expect(resolve(env)).toEqual(expected);
  });

  it.each<[string, NodeJS.ProcessEnv, RegExp]>([
    ["a remote http:// ENDPOINT would send a token over plaintext", { ENDPOINT: "http://s.westus2.durabletask.io" }, /never sent without TLS/],
    ["a connection string with a credential and no TaskHub", { DURABLE_TASK_SCHEDULER_CONNECTION_STRING: "Endpoint=https://s.io;Authentication=AzureCli" }, /missing TaskHub/],
  ])("refuses %s", (_name, env, message) => {
    expect(() => envProfile(env)).toThrow(message);
  });
});
