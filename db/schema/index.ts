export * from "./users";
export * from "./games";
export * from "./platform";
export * from "./ledger";
export * from "./payments";
export * from "./simulated-gateway";
export * from "./events";
export * from "./registrations";
