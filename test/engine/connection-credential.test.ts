import { describe, expect, it } from "vitest";
import { getCredentialFromAuthenticationType, loadAzureIdentity } from "../../src/engine/connection/credential-factory.js";
import { parseConnectionString } from "../../src/engine/connection/connection-string.js";

describe("credentials from the connection string", () => {
  it("WorkloadIdentity reads the federated token from TokenFilePath (nothing else is contacted when it is missing)", async () => {
    const file = "/nonexistent-dir/dmt-workload-identity-token";
    const connection = parseConnectionString(
      `Endpoint=https://s.westus2.durabletask.io;Authentication=WorkloadIdentity;TaskHub=h;ClientID=00000000-0000-0000-0000-000000000001;` +
        `TenantId=00000000-0000-0000-0000-000000000002;TokenFilePath=${file};AdditionallyAllowedTenants=*`,
    );
    const credential = getCredentialFromAuthenticationType(connection)!;
    await expect(credential.getToken("https://durabletask.io/.default")).rejects.toThrow(`ENOENT: no such file or directory, open '${file}'`);
  });

  it("Authentication=None has no credential", () => {
    expect(getCredentialFromAuthenticationType(parseConnectionString("Endpoint=localhost:8080;Authentication=None"))).toBeNull();
  });

  it("@azure/identity is optional: without it, a credential names the package and how to install it", async () => {
    const missing = Object.assign(new Error("Cannot find package '@azure/identity' imported from /app/dist/chunks/x.js"), { code: "ERR_MODULE_NOT_FOUND" });
    await expect(loadAzureIdentity("DefaultAzure", () => Promise.reject(missing))).rejects.toThrow(
      /^Authentication=DefaultAzure needs the optional package @azure\/identity, which is not installed: install it .*npm install @azure\/identity/,
    );
    const other = Object.assign(new Error("Cannot find package 'jose'"), { code: "ERR_MODULE_NOT_FOUND" });
    await expect(loadAzureIdentity("DefaultAzure", () => Promise.reject(other))).rejects.toBe(other);
    expect(typeof (await loadAzureIdentity("DefaultAzure")).DefaultAzureCredential).toBe("function");
  });
});
