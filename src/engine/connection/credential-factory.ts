import type { TokenCredential } from "@azure/identity";
import type { DtsConnection } from "../profile.js";

/** Builds the credential for a parsed connection string; tests inject their own. */
export type CredentialFactory = (connection: DtsConnection) => TokenCredential | null;

type AzureIdentity = typeof import("@azure/identity");

function buildCredential(azure: AzureIdentity, connection: DtsConnection): TokenCredential {
  const { clientId, tenantId } = connection;
  switch (connection.authentication) {
    case "None":
      throw new Error("Authentication=None has no credential");
    case "DefaultAzure":
      return new azure.DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {});
    case "ManagedIdentity":
      return clientId ? new azure.ManagedIdentityCredential({ clientId }) : new azure.ManagedIdentityCredential();
    case "WorkloadIdentity":
      return new azure.WorkloadIdentityCredential({
        ...(clientId ? { clientId } : {}),
        ...(tenantId ? { tenantId } : {}),
        ...(connection.tokenFilePath ? { tokenFilePath: connection.tokenFilePath } : {}),
        ...(connection.additionallyAllowedTenants ? { additionallyAllowedTenants: connection.additionallyAllowedTenants } : {}),
      });
    case "Environment":
      return new azure.EnvironmentCredential();
    case "AzureCli":
      return new azure.AzureCliCredential(tenantId ? { tenantId } : {});
    case "AzurePowerShell":
      return new azure.AzurePowerShellCredential(tenantId ? { tenantId } : {});
    case "VisualStudioCode":
      return new azure.VisualStudioCodeCredential(tenantId ? { tenantId } : {});
    case "InteractiveBrowser":
      return new azure.InteractiveBrowserCredential({ ...(clientId ? { clientId } : {}), ...(tenantId ? { tenantId } : {}) });
  }
}

/**
 * `@azure/identity`, an optional peer dependency (about 50 MB installed, which the embedded hub and the emulator never
 * use). Rejects with a message saying how to install it when it is missing; `importer` is for tests.
 */
export async function loadAzureIdentity(
  authentication: string,
  importer: () => Promise<AzureIdentity> = () => import("@azure/identity"),
): Promise<AzureIdentity> {
  try {
    return await importer();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if ((code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && String((error as Error).message).includes("@azure/identity")) {
      throw new Error(
        `Authentication=${authentication} needs the optional package @azure/identity, which is not installed: ` +
          "install it where durable-monitor-tui is (npm install @azure/identity; with a global install, npm install -g @azure/identity)",
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * The `@azure/identity` credential for a connection string's `Authentication` value
 * (mirrors `getCredentialFromAuthenticationType` of `@microsoft/durabletask-js-azuremanaged`).
 * Returns null for `None` (the emulator: no token is sent). `ClientID` selects a user-assigned managed identity
 * or the workload identity's app; `TenantId`, `TokenFilePath` and `AdditionallyAllowedTenants` configure the workload
 * identity, as in the official factory. Deliberately more than the official one: `ClientID` also picks the managed
 * identity of `DefaultAzure`, and `TenantId` the tenant of the developer-tool credentials (CLI, PowerShell, VS Code).
 * Nothing contacts Azure until the first token request, and `@azure/identity` itself (about 0.3 s to load) is only
 * imported then: the embedded hub and the emulator never pay for it.
 */
export const getCredentialFromAuthenticationType: CredentialFactory = (connection) => {
  if (connection.authentication === "None") return null;
  let credential: Promise<TokenCredential> | undefined;
  return {
    async getToken(scopes, options) {
      credential ??= loadAzureIdentity(connection.authentication).then((azure) => buildCredential(azure, connection));
      return (await credential).getToken(scopes, options);
    },
  };
};
