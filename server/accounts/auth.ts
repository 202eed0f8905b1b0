import { DrizzleAdapter } from "@auth/drizzle-adapter";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import Discord from "next-auth/providers/discord";
import Google from "next-auth/providers/google";
import { accounts, users } from "@/db/schema/accounts";
import { signInInput } from "./schemas";
import { onOAuthUserCreated, oauthSignInDecision } from "./oauth-sign-in";
import { nextSessionToken } from "./session-jwt";
import { suspendedCode } from "./suspension-code";
import { relyingParty } from "./relying-party";
import { type SignInResult, verifyPasskeySignIn, verifySignIn } from "./sign-in";
import type { SecondFactorProof } from "./two-factor";
import { passkeyAnswerInput, signInSecondFactorInput } from "./two-factor-schemas";
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

/** The password was right; the form asks for a second factor of one of the methods its code names. */
class SignInSecondFactorRequired extends CredentialsSignin {
  constructor(methods: string[]) {
    super();
    this.code = `second_factor_required:${methods.join(",")}`;
  }
}

/** The password was right and the second factor was not (or was already used). */
class SignInSecondFactorInvalid extends CredentialsSignin {
  code = "second_factor_invalid";
}

/** What authorize returns or throws for a sign-in check's outcome. */
function signedInUser(result: SignInResult) {
  switch (result.status) {
    case "rate_limited":
      logger.warn({ component: "auth", retryAfterSeconds: result.retryAfterSeconds }, "sign-in rate limited");
      throw new SignInRateLimited(result.retryAfterSeconds);
    case "invalid":
      return null;
    case "suspended":
      throw new SignInSuspended(result.until, result.reason);
    case "second_factor_required":
      throw new SignInSecondFactorRequired(result.methods);
    case "invalid_second_factor":
      throw new SignInSecondFactorInvalid();
    case "ok":
      return { id: result.user.id, name: result.user.name, email: result.user.email, image: result.user.image };
  }
}

/** A passkey answer sent as a credential (JSON of `{ challengeId, response }`), or null when malformed. */
function passkeyAnswerOf(value: unknown) {
  if (typeof value !== "string" || value.length > 40_000) return null;
  try {
    const parsed = passkeyAnswerInput.safeParse(JSON.parse(value));
    return parsed.success
      ? { challengeId: parsed.data.challengeId, response: parsed.data.response as unknown as AuthenticationResponseJSON }
      : null;
  } catch {
    return null;
  }
}

/** The second factor sent with a password, if any: a passkey answer, a recovery code or an app code. */
function secondFactorProof(input: { code?: string; recoveryCode?: string; passkey?: string }): SecondFactorProof | null {
  if (input.passkey) {
    const answer = passkeyAnswerOf(input.passkey);
    // A malformed answer is a wrong one, not "no second factor given".
    return answer ? { kind: "passkey", ...answer } : { kind: "recovery", code: "" };
  }
  if (input.recoveryCode) return { kind: "recovery", code: input.recoveryCode };
  if (input.code) return { kind: "totp", code: input.code };
  return null;
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
        credentials: {
          email: { type: "email" },
          password: { type: "password" },
          code: { type: "text" },
          recoveryCode: { type: "text" },
          passkey: { type: "text" },
        },
        authorize: async (credentials, request) => {
          const parsed = signInInput.safeParse(credentials);
          const second = signInSecondFactorInput.safeParse(credentials);
          if (!parsed.success || !second.success) return null;
          const result = await verifySignIn(
            db,
            { ...parsed.data, ip: clientIp(request.headers), secondFactor: secondFactorProof(second.data) },
            { rp: relyingParty(request.headers) },
          );
          return signedInUser(result);
        },
      }),
      Credentials({
        id: "passkey",
        name: "Passkey",
        credentials: { passkey: { type: "text" } },
        authorize: async (credentials, request) => {
          const answer = passkeyAnswerOf(credentials?.passkey);
          if (!answer) return null;
          const result = await verifyPasskeySignIn(db, { ...answer, ip: clientIp(request.headers) }, { rp: relyingParty(request.headers) });
          return signedInUser(result);
        },
      }),
      ...(oauthProviders.discord ? [Discord({ clientId: env.AUTH_DISCORD_ID, clientSecret: env.AUTH_DISCORD_SECRET })] : []),
      ...(oauthProviders.google ? [Google({ clientId: env.AUTH_GOOGLE_ID, clientSecret: env.AUTH_GOOGLE_SECRET })] : []),
    ],
    events: {
      /** An account a provider created: its display name's key (renamed if a look-alike is taken), and a verification link. */
      createUser: ({ user }) => onOAuthUserCreated(db, user),
    },
    callbacks: {
      /** OAuth sign-ins of a suspended account stop here (credentials ones stop in verifySignIn). */
      signIn: ({ user, account }) => oauthSignInDecision(db, { user, account }),
      /**
       * At sign-in the token takes an id, the account's session version and the time the user proved
       * who they are; an update changes them only with a renewal ticket for this very session.
       */
      jwt: ({ token, user, trigger, session }) => nextSessionToken(db, token, { user, trigger, session }),
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
