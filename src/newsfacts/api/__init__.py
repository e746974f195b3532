"""The HTTP JSON API and the analysts' pages over one store.

    from newsfacts.server import create_app
    app = create_app(Store.open("facts.db"), token="secret")   # or `newsfacts serve`

Every response quotes article text through its own `policy.quota.QuoteBudget`.
"""
