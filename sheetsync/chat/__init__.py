"""Digests posted to group chats through each platform's custom group-bot webhook (issue 15).

    model.py      ChatMessage (what one channel is told), Mention, Outcome, the Platform protocol; pack (split
                  within a limit), webhook_parts (addresses every HTTP client reads alike), quoted answers
    compose.py    a Channels row + the analysis → its ChatMessage (the e-mail digest's words, per person @-mentioned)
    wecom.py      企业微信 group robot: markdown, image (base64 + md5), <@userid>, 20 messages a minute
    dingtalk.py   钉钉 custom robot: markdown, at.atMobiles / atUserIds, HMAC-SHA256 timestamp signature
    feishu.py     飞书 custom bot: interactive card, <at id=…>, signature over timestamp + secret
    slack.py      Slack incoming webhook: Block Kit, <@U…>, HTTP 429 with Retry-After
    secrets.py    webhook URLs and signing secrets: the environment or a chmod 600 chat.toml, never the book
    post.py       pace, sign, POST, understand the answer, retry, record once (the ledger's lease and pending)
    deliver.py    today's due channels: compose, then post, or write each part's JSON to the outbox
"""
