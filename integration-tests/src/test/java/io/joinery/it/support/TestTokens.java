package io.joinery.it.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Real signed tokens for tests, made with nimbus (HMAC, RSA, EC) and the JDK (Ed25519, which
 * nimbus signs only with Tink): keys generated per test run, claims in Hasura's shape.
 *
 * <pre>{@code
 * String token = TestTokens.sign(TestTokens.hmac(SECRET), TestTokens.claims("user", List.of("user"), Map.of("x-joinery-user-id", "1")).build());
 * }</pre>
 */
public final class TestTokens {

    public static final String NAMESPACE = "https://joinery.io/jwt/claims";

    private TestTokens() {
    }

    /** Claims valid for ten minutes, with the session under the default namespace. */
    public static JWTClaimsSet.Builder claims(String defaultRole, List<String> allowedRoles, Map<String, Object> variables) {
        Map<String, Object> session = new java.util.LinkedHashMap<>(variables);
        session.put("x-joinery-default-role", defaultRole);
        session.put("x-joinery-allowed-roles", allowedRoles);
        return expiringIn(600).claim(NAMESPACE, session);
    }

    public static JWTClaimsSet.Builder expiringIn(long seconds) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject("test").issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(seconds)));
    }

    public record Key(JWSAlgorithm algorithm, JWSSigner signer, String keyId) {
        public Key withKeyId(String kid) {
            return new Key(algorithm, signer, kid);
        }
    }

    public static Key hmac(JWSAlgorithm algorithm, String secret) {
        try {
            return new Key(algorithm, new MACSigner(secret.getBytes(StandardCharsets.UTF_8)), null);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RSAKey rsaKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ECKey ecKey(Curve curve, String kid) {
        try {
            return new ECKeyGenerator(curve).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Key rsa(JWSAlgorithm algorithm, RSAKey key) {
        try {
            return new Key(algorithm, new RSASSASigner(key), key.getKeyID());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Key ec(JWSAlgorithm algorithm, ECKey key) {
        try {
            return new Key(algorithm, new ECDSASigner(key), key.getKeyID());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sign(Key key, JWTClaimsSet claims) {
        JWSHeader.Builder header = new JWSHeader.Builder(key.algorithm()).type(JOSEObjectType.JWT);
        if (key.keyId() != null) {
            header.keyID(key.keyId());
        }
        SignedJWT jwt = new SignedJWT(header.build(), claims);
        try {
            jwt.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** An unsigned token ({@code alg: none}), as an attacker would send it. */
    public static String unsigned(JWTClaimsSet claims) {
        return new com.nimbusds.jwt.PlainJWT(claims).serialize();
    }

    /** A token with the signature of another token: what tampering with the claims gives. */
    public static String withSignatureOf(String token, String other) {
        return token.substring(0, token.lastIndexOf('.')) + other.substring(other.lastIndexOf('.'));
    }

    public static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An EdDSA token signed by the JDK. */
    public static String signEd25519(KeyPair pair, JWTClaimsSet claims) {
        String header = Base64URL.encode("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}").toString();
        String payload = Base64URL.encode(claims.toString()).toString();
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(pair.getPrivate());
            signature.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + Base64URL.encode(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A public key as PEM, as an operator pastes it into the JWT secret. */
    public static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }
}
