package io.joinery.policies.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Set;

/**
 * Verifies EdDSA (Ed25519) signatures with the JDK's own {@code Ed25519} {@link Signature}.
 *
 * <p>Note [EdDSA without Tink]: nimbus' {@code Ed25519Verifier} needs Google Tink, which is not
 * available here; the JDK has had Ed25519 since 15. This class only adapts the JDK's verification
 * to nimbus' {@link JWSVerifier} interface: no cryptography of ours.
 */
final class EdDsaVerifier implements JWSVerifier {

    private final PublicKey key;
    private final JCAContext context = new JCAContext();

    EdDsaVerifier(PublicKey key) {
        this.key = key;
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
        if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
            throw new JOSEException("not an EdDSA signature: " + header.getAlgorithm());
        }
        if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            return false; // RFC 7515 4.1.11: critical header parameters this verifier does not understand (none) reject the token
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(signingInput);
            return verifier.verify(signature.decode());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return Set.of(JWSAlgorithm.EdDSA);
    }

    @Override
    public JCAContext getJCAContext() {
        return context;
    }
}
