import {
  AzureCliCredential,
  AzurePowerShellCredential,
  DefaultAzureCredential,
  EnvironmentCredential,
  InteractiveBrowserCredential,
  ManagedIdentityCredential,
  VisualStudioCodeCredential,
  WorkloadIdentityCredential,
  type TokenCredential,
} from "@azure/identity";
import type { DtsConnection } from "../../config/types.js";

/** Builds the credential for a parsed connection string; tests inject their own. */
export type CredentialFactory = (connection: DtsConnection) => TokenCredential | null;

/**
 * The `@azure/identity` credential for a connection string's `Authentication` value
 * (mirrors `getCredentialFromAuthenticationType` of `@microsoft/durabletask-js-azuremanaged`).
 * Returns null for `None` (the emulator: no token is sent). `ClientID` selects a user-assigned managed identity
 * or the workload identity's app; `TenantId` the workload identity's tenant.
 * Constructing a credential does not contact Azure: failures surface on the first token request.
 */
export const getCredentialFromAuthenticationType: CredentialFactory = (connection) => {
  const { clientId, tenantId } = connection;
  switch (connection.authentication) {
    case "None":
      return null;
    case "DefaultAzure":
      return new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {});
    case "ManagedIdentity":
      return clientId ? new ManagedIdentityCredential({ clientId }) : new ManagedIdentityCredential();
    case "WorkloadIdentity":
      return new WorkloadIdentityCredential({ ...(clientId ? { clientId } : {}), ...(tenantId ? { tenantId } : {}) });
    case "Environment":
      return new EnvironmentCredential();
    case "AzureCli":
      return new AzureCliCredential(tenantId ? { tenantId } : {});
    case "AzurePowerShell":
      return new AzurePowerShellCredential(tenantId ? { tenantId } : {});
    case "VisualStudioCode":
      return new VisualStudioCodeCredential(tenantId ? { tenantId } : {});
    case "InteractiveBrowser":
      return new InteractiveBrowserCredential({ ...(clientId ? { clientId } : {}), ...(tenantId ? { tenantId } : {}) });
  }
};
