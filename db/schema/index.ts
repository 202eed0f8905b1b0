export * from "./users";
export * from "./games";
export * from "./platform";
export * from "./ledger";
export * from "./payments";
export * from "./simulated-gateway";
