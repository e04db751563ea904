import { describe, expect, it } from "vitest";
import { getCredentialFromAuthenticationType } from "../../src/engine/connection/credential-factory.js";
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
});
