import { DrizzleAdapter } from "@auth/drizzle-adapter";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import Discord from "next-auth/providers/discord";
import Google from "next-auth/providers/google";
import { accounts, users } from "@/db/schema/accounts";
import { sendVerificationLink } from "./email-address";
import { signInInput } from "./schemas";
import { sessionVersionOf, suspensionOf } from "./sessions";
import { suspendedCode } from "./suspension-code";
import { verifyRenewal } from "./session-renewal";
import { verifySignIn } from "./sign-in";
import { authSecret } from "@/server/auth-secret";
import { getDb } from "@/server/database";
import { env, oauthProviders } from "@/server/env";
import { clientIp } from "@/server/http";
import { logger } from "@/server/logger";

/** Its code reaches the browser as `code` from signIn(), so the form can say how long to wait. */
class SignInRateLimited extends CredentialsSignin {
  constructor(retryAfterSeconds: number) {
    super();
    this.code = `rate_limited:${retryAfterSeconds}`;
  }
}

/** Its code tells the form the suspension's end and reason (after a correct password only). */
class SignInSuspended extends CredentialsSignin {
  constructor(until: Date | null, reason: string) {
    super();
    this.code = suspendedCode(until, reason);
  }
}

declare module "next-auth" {
  interface Session {
    user: { id: string; name?: string | null; email?: string | null; image?: string | null };
    /** The session version the token was minted under (see server/accounts/sessions.ts). */
    sv?: number;
    /** This sign-in's id (session renewal tickets name it). */
    sid?: string;
    /** When the holder last proved who they are, in seconds since the epoch. */
    authAt?: number;
  }
}

export const { handlers, auth, signIn, signOut, unstable_update } = NextAuth(async (): Promise<NextAuthConfig> => {
  const db = await getDb();
  return {
    adapter: DrizzleAdapter(db, { usersTable: users, accountsTable: accounts }),
    session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
    secret: await authSecret(),
    trustHost: env.AUTH_TRUST_HOST !== "false",
    pages: { signIn: "/sign-in", error: "/sign-in" },
    logger: {
      // Auth.js reports a failed credentials check as an error; it is an ordinary wrong password.
      error: (error) => {
        const type = (error as { type?: string }).type;
        if (type === "CredentialsSignin") return;
        logger.error({ component: "auth", type, err: error.message }, "auth error");
      },
      warn: (code) => logger.warn({ component: "auth", code }, "auth warning"),
    },
    providers: [
      Credentials({
        credentials: { email: { type: "email" }, password: { type: "password" } },
        authorize: async (credentials, request) => {
          const parsed = signInInput.safeParse(credentials);
          if (!parsed.success) return null;
          const result = await verifySignIn(db, { ...parsed.data, ip: clientIp(request.headers) });
          if (result.status === "rate_limited") {
            logger.warn({ component: "auth", retryAfterSeconds: result.retryAfterSeconds }, "sign-in rate limited");
            throw new SignInRateLimited(result.retryAfterSeconds);
          }
          if (result.status === "invalid") return null;
          if (result.status === "suspended") throw new SignInSuspended(result.until, result.reason);
          return { id: result.user.id, name: result.user.name, email: result.user.email, image: result.user.image };
        },
      }),
      ...(oauthProviders.discord ? [Discord({ clientId: env.AUTH_DISCORD_ID, clientSecret: env.AUTH_DISCORD_SECRET })] : []),
      ...(oauthProviders.google ? [Google({ clientId: env.AUTH_GOOGLE_ID, clientSecret: env.AUTH_GOOGLE_SECRET })] : []),
    ],
    events: {
      /** An account Auth.js creates from Discord or Google gets a verification link like any other. */
      async createUser({ user }) {
        if (!user.id || !user.email) return;
        await sendVerificationLink(db, { id: user.id, email: user.email }).catch((error: unknown) =>
          logger.error({ component: "auth", userId: user.id, err: error }, "verification link not queued"),
        );
      },
    },
    callbacks: {
      /** OAuth sign-ins of a suspended account stop here (credentials ones stop in verifySignIn). */
      async signIn({ user, account }) {
        if (account?.type === "credentials" || !user.id) return true;
        const suspension = await suspensionOf(db, user.id);
        return suspension ? `/sign-in?error=${encodeURIComponent(suspendedCode(suspension.until, suspension.reason))}` : true;
      },
      /**
       * At sign-in the token takes an id, the account's session version and the time the user proved
       * who they are. An update changes them only with a renewal ticket issued for this very session
       * (server/accounts/session-renewal.ts): the update endpoint is open to the browser.
       */
      async jwt({ token, user, trigger, session }) {
        if (user?.id) {
          token.sub = user.id;
          token.sid = crypto.randomUUID();
          token.sv = await sessionVersionOf(db, user.id);
          token.authAt = Math.floor(Date.now() / 1000);
        } else if (trigger === "update" && typeof token.sub === "string" && typeof token.sid === "string") {
          const renewal = await verifyRenewal((session as { renew?: unknown } | undefined)?.renew, {
            userId: token.sub,
            sessionId: token.sid,
          });
          if (renewal) {
            token.sv = renewal.sessionVersion;
            token.authAt = renewal.authenticatedAt;
          }
        }
        return token;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        if (typeof token.sid === "string") session.sid = token.sid;
        if (typeof token.sv === "number") session.sv = token.sv;
        if (typeof token.authAt === "number") session.authAt = token.authAt;
        return session;
      },
    },
  };
});
