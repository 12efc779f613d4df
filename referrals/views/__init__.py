"""The referrals app's pages, one module per resource: providers (the directory and its
agreements), consents, referrals."""
