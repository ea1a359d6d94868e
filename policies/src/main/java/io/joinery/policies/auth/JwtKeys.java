package io.joinery.policies.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Keys as the configuration and JWK sets give them, turned into nimbus verifiers: an HMAC secret
 * (its UTF-8 bytes), a PEM public key or X.509 certificate (RSA, EC, Ed25519), or a JWK. Decoding
 * only: the signature checks are nimbus' ({@link MACVerifier}, {@link RSASSAVerifier},
 * {@link ECDSAVerifier}) and the JDK's for EdDSA ({@link EdDsaVerifier}).
 */
final class JwtKeys {

    static final Set<JWSAlgorithm> HMAC = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);
    static final Set<JWSAlgorithm> RSA = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);
    static final Set<JWSAlgorithm> EC = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo, before its 32 key bytes (RFC 8410). */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private JwtKeys() {
    }

    /** The verifier of a configured key ({@code type} + {@code key}); the message of a refusal says what is wrong. */
    static JWSVerifier configured(JWSAlgorithm algorithm, String key) {
        try {
            if (HMAC.contains(algorithm)) {
                byte[] secret = key.getBytes(StandardCharsets.UTF_8);
                int minimum = Integer.parseInt(algorithm.getName().substring(2)) / 8;
                if (secret.length < minimum) {
                    throw new IllegalArgumentException("an " + algorithm + " key must have at least " + minimum + " bytes, it has " + secret.length);
                }
                return new MACVerifier(secret);
            }
            PublicKey publicKey = publicKey(key);
            if (RSA.contains(algorithm) && publicKey instanceof RSAPublicKey rsa) {
                return new RSASSAVerifier(rsa);
            }
            if (EC.contains(algorithm) && publicKey instanceof ECPublicKey ec) {
                return new ECDSAVerifier(ec);
            }
            if (JWSAlgorithm.EdDSA.equals(algorithm) && "EdDSA".equals(publicKey.getAlgorithm())) {
                return new EdDsaVerifier(publicKey);
            }
            throw new IllegalArgumentException("the key is an " + publicKey.getAlgorithm() + " key, not one for " + algorithm);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the key is not usable for " + algorithm + ": " + e.getMessage());
        }
    }

    /** The verifier of a key of a JWK set for a token signed with {@code algorithm}, if the key fits it (never an HMAC key). */
    static Optional<JWSVerifier> fromJwk(JWK jwk, JWSAlgorithm algorithm) {
        if (jwk.getAlgorithm() != null && !jwk.getAlgorithm().equals(algorithm)) {
            return Optional.empty();
        }
        try {
            if (jwk instanceof RSAKey rsa && RSA.contains(algorithm)) {
                return Optional.of(new RSASSAVerifier(rsa));
            }
            if (jwk instanceof ECKey ec && EC.contains(algorithm) && Curve.forJWSAlgorithm(algorithm).contains(ec.getCurve())) {
                return Optional.of(new ECDSAVerifier(ec));
            }
            if (jwk instanceof OctetKeyPair okp && JWSAlgorithm.EdDSA.equals(algorithm) && Curve.Ed25519.equals(okp.getCurve())) {
                return Optional.of(new EdDsaVerifier(ed25519(okp.getX().decode())));
            }
            return Optional.empty();
        } catch (JOSEException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /** A PEM {@code PUBLIC KEY} (RSA, EC or Ed25519) or {@code CERTIFICATE}. */
    static PublicKey publicKey(String pem) {
        String text = pem.replace("\\n", "\n").trim();
        if (text.contains("-----BEGIN CERTIFICATE-----")) {
            try {
                return CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII))).getPublicKey();
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("the certificate cannot be read: " + e.getMessage());
            }
        }
        if (!text.startsWith("-----BEGIN PUBLIC KEY-----")) {
            throw new IllegalArgumentException("the key must be a PEM public key (-----BEGIN PUBLIC KEY-----) or certificate");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM public key is not base64: " + e.getMessage());
        }
        return ofAnyFamily(der);
    }

    /** The key a DER SubjectPublicKeyInfo holds: only the factory of the algorithm it names accepts it. */
    private static PublicKey ofAnyFamily(byte[] der) {
        List<String> refusals = new ArrayList<>();
        for (String family : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(family).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                refusals.add(family + ": " + e.getMessage());
            }
        }
        throw new IllegalArgumentException("the PEM public key is not an RSA, EC or Ed25519 key (" + String.join("; ", refusals) + ")");
    }

    /** The JDK key of 32 raw Ed25519 public key bytes (a JWK's {@code x}). */
    static PublicKey ed25519(byte[] x) throws GeneralSecurityException {
        byte[] der = new byte[ED25519_SPKI_PREFIX.length + x.length];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, der, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(x, 0, der, ED25519_SPKI_PREFIX.length, x.length);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    }
}
