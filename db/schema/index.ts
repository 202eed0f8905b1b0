export * from "./users";
export * from "./games";
export * from "./platform";
export * from "./ledger";
