extension SigV4Signer {
    /// A derived signing key (step 3) and what it was derived for: the day of the credential scope and the
    /// signer's access key, region and service. The key depends on nothing else, so it can be reused for
    /// every request of that day: derived once, it saves four of the five HMACs of each signature.
    /// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html#derive-signing-key
    ///
    /// Opaque to callers: they keep a `SigningKey?` and pass it to `sign(_:date:signingKey:)`. It holds
    /// secret-derived bytes and the secret it was derived from; it is never printed (no `description`).
    public struct SigningKey: Sendable {
        /// `yyyyMMdd` of the credential scope.
        let day: [UInt8]
        let accessKeyId: String
        let secretAccessKey: String
        let region: String
        let service: String
        /// The 32-byte key.
        let bytes: [UInt8]

        /// Derives the key of `signer` for `day`.
        init(signer: SigV4Signer, day: ArraySlice<UInt8>) {
            self.day = Array(day)
            accessKeyId = signer.credentials.accessKeyId
            secretAccessKey = signer.credentials.secretAccessKey
            region = signer.region
            service = signer.service
            bytes = signer.signingKey(day: day)
        }

        /// Whether this key signs for `signer` on `day` (a few short comparisons, far cheaper than four HMACs).
        func isValid(for signer: SigV4Signer, day: ArraySlice<UInt8>) -> Bool {
            self.day.elementsEqual(day) && accessKeyId == signer.credentials.accessKeyId
                && secretAccessKey == signer.credentials.secretAccessKey && region == signer.region && service == signer.service
        }
    }
}
