/** The AK/SK pair the mock accepts unless started with another (documented in the README). */
export const DEFAULT_CREDENTIALS = {
  accessKey: "EVSMOCKACCESSKEY0001",
  secretKey: "evs-mock-secret-key-do-not-use-in-production",
} as const;
