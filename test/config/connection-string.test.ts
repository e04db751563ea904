import { describe, expect, it } from "vitest";
import {
  ConnectionStringError,
  formatConnectionString,
  parseConnectionString,
  redactConnectionString,
} from "../../src/engine/connection/connection-string.js";
import { ConfigError, ExitCode } from "../../src/errors.js";
import { AUTHENTICATION_TYPES } from "../../src/engine/profile.js";
import { closestMatch, editDistance } from "../../src/engine/suggest.js";

describe("parseConnectionString: valid forms", () => {
  it.each([
    [
      "the emulator string",
      "Endpoint=http://localhost:8080;Authentication=None;TaskHub=default",
      { endpoint: "http://localhost:8080", authentication: "None", taskHub: "default" },
    ],
    [
      "Azure with a managed identity",
      "Endpoint=https://my-sched.westus2.durabletask.io;Authentication=ManagedIdentity;ClientID=00000000-0000-0000-0000-000000000001;TaskHub=hub1",
      {
        endpoint: "https://my-sched.westus2.durabletask.io",
        authentication: "ManagedIdentity",
        taskHub: "hub1",
        clientId: "00000000-0000-0000-0000-000000000001",
      },
    ],
    [
      "keys in any case and order, spaces around parts, trailing ';'",
      "  taskhub = h2 ; AUTHENTICATION=defaultazure;endpoint= https://x.durabletask.io ;tenantid=t1;clientid=c1;",
      { endpoint: "https://x.durabletask.io", authentication: "DefaultAzure", taskHub: "h2", clientId: "c1", tenantId: "t1" },
    ],
    [
      "no TaskHub: defaults to \"default\"",
      "Endpoint=http://127.0.0.1:8080;Authentication=None",
      { endpoint: "http://127.0.0.1:8080", authentication: "None", taskHub: "default" },
    ],
    [
      "a value containing '='",
      "Endpoint=https://x.example/?a=b;Authentication=AzureCli;TaskHub=h",
      { endpoint: "https://x.example/?a=b", authentication: "AzureCli", taskHub: "h" },
    ],
  ])("%s", (_name, input, expected) => {
    expect(parseConnectionString(input)).toEqual(expected);
  });

  it("normalises every Authentication value to the Scheduler's spelling", () => {
    for (const type of AUTHENTICATION_TYPES) {
      const parsed = parseConnectionString(`Endpoint=https://x.io;Authentication=${type.toUpperCase()};TaskHub=h`);
      expect(parsed.authentication).toBe(type);
    }
  });

  it("formats a parsed connection back to the canonical string", () => {
    const parsed = parseConnectionString("endpoint=http://localhost:8080;authentication=none;clientid=c");
    expect(formatConnectionString(parsed)).toBe("Endpoint=http://localhost:8080;Authentication=None;TaskHub=default;ClientID=c");
  });
});

describe("parseConnectionString: every key of the official parser", () => {
  it("accepts and keeps Endpoint, Authentication, TaskHub, ClientID, TenantId, TokenFilePath, AdditionallyAllowedTenants", () => {
    const input =
      "Endpoint=https://s.westus2.durabletask.io;Authentication=WorkloadIdentity;TaskHub=h;ClientID=app-1;TenantId=t-1;" +
      "TokenFilePath=/var/run/secrets/azure/tokens/azure-identity-token;AdditionallyAllowedTenants=t-2, t-3,";
    const parsed = parseConnectionString(input);
    expect(parsed).toEqual({
      endpoint: "https://s.westus2.durabletask.io",
      authentication: "WorkloadIdentity",
      taskHub: "h",
      clientId: "app-1",
      tenantId: "t-1",
      tokenFilePath: "/var/run/secrets/azure/tokens/azure-identity-token",
      additionallyAllowedTenants: ["t-2", "t-3"],
    });
    expect(parseConnectionString(formatConnectionString(parsed))).toEqual(parsed);
  });

  it("accepts a schemeless Endpoint (https, as the official client) and an empty optional value (unset)", () => {
    expect(parseConnectionString("Endpoint=s.westus2.durabletask.io;Authentication=ManagedIdentity;ClientID=;TaskHub=h")).toEqual({
      endpoint: "s.westus2.durabletask.io",
      authentication: "ManagedIdentity",
      taskHub: "h",
    });
    expect(parseConnectionString("Endpoint=localhost:8080;Authentication=None;TaskHub=;TenantId=").taskHub).toBe("default");
  });

  it("TaskHub: the one given outside the string wins; missing is fine only with Authentication=None", () => {
    expect(parseConnectionString("Endpoint=https://x.io;Authentication=AzureCli", { taskHub: "from-profile" }).taskHub).toBe("from-profile");
    expect(parseConnectionString("Endpoint=https://x.io;Authentication=AzureCli;TaskHub=a", { taskHub: "b" }).taskHub).toBe("b");
    expect(parseConnectionString("Endpoint=http://localhost:8080;Authentication=None").taskHub).toBe("default");
    expect(() => parseConnectionString("Endpoint=https://x.io;Authentication=AzureCli")).toThrow(/missing TaskHub/);
  });

  it("Token= (the local hub's token) is kept, formatted back, and redacted for display", () => {
    const s = "Endpoint=http://localhost:4001;Authentication=None;TaskHub=default;Token=s3cr3t-t0k";
    const parsed = parseConnectionString(s);
    expect(parsed).toMatchObject({ endpoint: "http://localhost:4001", authentication: "None", token: "s3cr3t-t0k" });
    expect(formatConnectionString(parsed)).toBe(s);
    expect(redactConnectionString(s)).toBe("Endpoint=http://localhost:4001;Authentication=None;TaskHub=default;Token=***");
  });

  it("TokenFilePath is a path, not a secret: shown in redacted output", () => {
    const s = "Endpoint=https://x.io;Authentication=WorkloadIdentity;TaskHub=h;TokenFilePath=/var/run/token";
    expect(redactConnectionString(s)).toBe(s);
  });
});

describe("parseConnectionString: every invalid form names the bad part", () => {
  it.each([
    ["empty", "", /empty/],
    ["only spaces", "   ", /empty/],
    ["missing Endpoint", "Authentication=None;TaskHub=h", /missing Endpoint/],
    ["missing Authentication", "Endpoint=http://localhost:8080", /missing Authentication \(one of None, DefaultAzure/],
    ["endpoint not a URL", "Endpoint=not a url;Authentication=None", /Endpoint 'not a url' is not a URL or host\[:port\]/],
    ["empty Endpoint", "Endpoint=;Authentication=None", /missing Endpoint/],
    ["empty Authentication", "Endpoint=http://localhost:8080;Authentication=", /missing Authentication/],
    ["endpoint with another scheme", "Endpoint=ftp://x.io;Authentication=None", /Endpoint 'ftp:\/\/x\.io' must be https:\/\/…, http:\/\/… or a bare host/],
    ["a credential over plaintext to a remote host", "Endpoint=http://x.durabletask.io;Authentication=DefaultAzure;TaskHub=h", /never sent without TLS/],
    ["a credential without TaskHub", "Endpoint=https://x.durabletask.io;Authentication=ManagedIdentity", /missing TaskHub \(TaskHub=<name>\).*only Authentication=None/],
    ["a misspelt official key", "Endpoint=https://x.io;Authentication=WorkloadIdentity;TaskHub=h;TokenFilPath=/t", /unknown key 'TokenFilPath' \(did you mean 'TokenFilePath'\?\)/],
    ["a misspelt tenants key", "Endpoint=https://x.io;Authentication=WorkloadIdentity;TaskHub=h;AdditionalyAllowedTenants=a", /did you mean 'AdditionallyAllowedTenants'\?/],
    ["misspelt key", "Endpont=http://localhost:8080;Authentication=None", /unknown key 'Endpont' \(did you mean 'Endpoint'\?\)/],
    ["unknown key", "Endpoint=http://localhost:8080;Authentication=None;Flavour=x", /unknown key 'Flavour' \(valid keys: Endpoint, Authentication, TaskHub, ClientID, TenantId, TokenFilePath, AdditionallyAllowedTenants, Token\)/],
    ["unknown Authentication", "Endpoint=http://localhost:8080;Authentication=Kerberos", /unknown Authentication 'Kerberos' \(valid: None, DefaultAzure, ManagedIdentity/],
    ["misspelt Authentication", "Endpoint=http://localhost:8080;Authentication=DefaultAzur", /did you mean 'DefaultAzure'\?/],
    ["duplicate key (any case)", "Endpoint=http://a:1;endpoint=http://b:2;Authentication=None", /duplicate key 'Endpoint'/],
    ["empty segment", "Endpoint=http://localhost:8080;;Authentication=None", /segment 2 is empty/],
    ["segment without '='", "Endpoint=http://localhost:8080;Authentication=None;oops", /segment 3 is not Key=Value/],
    ["key without name", "=x;Endpoint=http://localhost:8080;Authentication=None", /segment 1 has no key/],
    ["a secret key", "Endpoint=https://x.io;Authentication=None;ClientSecret=hunter2", /takes no client secret; use Authentication=Environment/],
    ["our Token with a credential", "Endpoint=https://x.io;Authentication=DefaultAzure;TaskHub=h;Token=t0k", /Token= is the local hub's token and goes with Authentication=None/],
    ["our Token over plaintext to a remote host", "Endpoint=http://hub.example:4001;Authentication=None;Token=t0k", /never sent without TLS/],
  ])("%s", (_name, input, message) => {
    let caught: unknown;
    try {
      parseConnectionString(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConnectionStringError);
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConnectionStringError).exitCode).toBe(ExitCode.Config);
    expect((caught as ConnectionStringError).message).toMatch(message);
  });

  it("never repeats a secret in its message", () => {
    for (const input of [
      "Endpoint=https://x.io;Authentication=None;ClientSecret=hunter2",
      "Endpoint=https://x.io;Authentication=None;hunter2",
      "Endpoint=https://x.io/?sig=hunter2 bad;Authentication=None",
    ]) {
      expect(() => parseConnectionString(input)).toThrow(ConnectionStringError);
      try {
        parseConnectionString(input);
      } catch (error) {
        expect((error as Error).message).not.toContain("hunter2");
      }
    }
  });
});

describe("redactConnectionString", () => {
  it.each([
    ["Endpoint=https://x.io;ClientSecret=abc123;TaskHub=h", "Endpoint=https://x.io;ClientSecret=***;TaskHub=h"],
    ["AccountName=a;AccountKey=k3y==;EndpointSuffix=core", "AccountName=a;AccountKey=***;EndpointSuffix=core"],
    ["Endpoint=sb://x;SharedAccessKeyName=n;SharedAccessKey=s3cr3t", "Endpoint=sb://x;SharedAccessKeyName=***;SharedAccessKey=***"],
    ["Endpoint=https://x.io;Token=t0k;Password=p4ss", "Endpoint=https://x.io;Token=***;Password=***"],
    ["Endpoint=https://x.io/hub?sv=1&sig=abcd&se=2;Authentication=None", "Endpoint=https://x.io/hub?sv=1&sig=***&se=2;Authentication=None"],
    ["Endpoint=http://localhost:8080;Authentication=None;TaskHub=default", "Endpoint=http://localhost:8080;Authentication=None;TaskHub=default"],
  ])("%s", (input, expected) => {
    expect(redactConnectionString(input)).toBe(expected);
  });

  it("keeps ClientID and TenantId (identifiers, not secrets)", () => {
    const s = "Endpoint=https://x.io;Authentication=ManagedIdentity;ClientID=c-1;TenantId=t-1";
    expect(redactConnectionString(s)).toBe(s);
  });
});

describe("closestMatch", () => {
  it("suggests near misses and nothing for unrelated words", () => {
    expect(closestMatch("Endpont", ["Endpoint", "TaskHub"])).toBe("Endpoint");
    expect(closestMatch("taskhb", ["Endpoint", "TaskHub"])).toBe("TaskHub");
    expect(closestMatch("Auth", ["Endpoint", "Authentication"])).toBe("Authentication");
    expect(closestMatch("zebra", ["Endpoint", "TaskHub"])).toBeUndefined();
  });
});

describe("editDistance", () => {
  it("counts insertions, deletions, substitutions and neighbour swaps as one edit each", () => {
    expect(editDistance("list", "list")).toBe(0);
    expect(editDistance("lsit", "list")).toBe(1);
    expect(editDistance("lst", "list")).toBe(1);
    expect(editDistance("lisst", "list")).toBe(1);
    expect(editDistance("last", "list")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });
});
