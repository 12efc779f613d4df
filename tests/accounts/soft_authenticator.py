"""A software WebAuthn authenticator for the passkey tests that run without a browser: it
answers the options of accounts.passkeys as a browser and an authenticator would (a P-256
key, "none" attestation, a signature counter), in the WebAuthn JSON forms. The browser
journey (tests/e2e/test_passkey_journey.py) uses Chromium's virtual authenticator instead."""

from __future__ import annotations

import hashlib
import os
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import websafe_encode
from fido2.webauthn import (
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)

ORIGIN = "http://localhost:8000"
RP_ID = "localhost"


class SoftAuthenticator:
    def __init__(self, *, origin: str = ORIGIN, rp_id: str = RP_ID) -> None:
        self.origin = origin
        self.rp_id_hash = hashlib.sha256(rp_id.encode()).digest()
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.counter = 0

    @property
    def credential_data(self) -> AttestedCredentialData:
        public_key = ES256.from_cryptography_key(self.key.public_key())
        return AttestedCredentialData.create(bytes(16), self.credential_id, public_key)

    def create(self, options: dict[str, Any]) -> dict[str, Any]:
        """The RegistrationResponseJSON of navigator.credentials.create(options)."""
        client_data = CollectedClientData.create(
            "webauthn.create", options["publicKey"]["challenge"], self.origin
        )
        flags = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.AT
        auth_data = AuthenticatorData.create(
            self.rp_id_hash, flags, self.counter, self.credential_data
        )
        attestation = AttestationObject.create("none", auth_data, {})
        return {
            "id": websafe_encode(self.credential_id),
            "rawId": websafe_encode(self.credential_id),
            "type": "public-key",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": websafe_encode(client_data),
                "attestationObject": websafe_encode(attestation),
            },
        }

    def get(self, options: dict[str, Any]) -> dict[str, Any]:
        """The AuthenticationResponseJSON of navigator.credentials.get(options), the counter
        moved on by one."""
        self.counter += 1
        client_data = CollectedClientData.create(
            "webauthn.get", options["publicKey"]["challenge"], self.origin
        )
        auth_data = AuthenticatorData.create(
            self.rp_id_hash, AuthenticatorData.FLAG.UP, self.counter
        )
        signature = self.key.sign(auth_data + client_data.hash, ec.ECDSA(hashes.SHA256()))
        return {
            "id": websafe_encode(self.credential_id),
            "rawId": websafe_encode(self.credential_id),
            "type": "public-key",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": websafe_encode(client_data),
                "authenticatorData": websafe_encode(auth_data),
                "signature": websafe_encode(signature),
            },
        }
