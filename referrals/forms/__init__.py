"""The referrals app's forms, one module per resource: providers, consents, referrals."""
