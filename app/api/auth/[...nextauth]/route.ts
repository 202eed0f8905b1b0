import { handlers } from "@/server/accounts/auth";

export const { GET, POST } = handlers;
