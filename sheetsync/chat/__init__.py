"""Digests posted to group chats through each platform's custom group-bot webhook (issue 15).

    model.py      ChatMessage (what one channel is told), Mention, Outcome, the Platform protocol
    compose.py    a Channels row + the analysis → its ChatMessage (the e-mail digest's words, per person @-mentioned)
    wecom.py      企业微信 group robot: markdown, image (base64 + md5), <@userid>, 20 messages a minute
    dingtalk.py   钉钉 custom robot: markdown, at.atMobiles / atUserIds, HMAC-SHA256 timestamp signature
    feishu.py     飞书 custom bot: interactive card, <at id=…>, signature over timestamp + secret
    slack.py      Slack incoming webhook: Block Kit, <@U…>, HTTP 429 with Retry-After
    secrets.py    webhook URLs and signing secrets: the environment or a chmod 600 chat.toml, never the book
    post.py       deliver: pace, sign, POST, understand the answer, retry, record exactly once
"""
