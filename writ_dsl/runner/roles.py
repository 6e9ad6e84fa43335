"""The two roles of a dialogue. Each takes the conversation so far and returns its next message.

Implementations: :class:`~writ_dsl.runner.scripted_user.ScriptedUser` and
:class:`~writ_dsl.runner.llm.LLMUser` for the user;
:class:`~writ_dsl.runner.oracle_agent.OracleAgent` and
:class:`~writ_dsl.runner.llm.LLMAgent` for the agent. A role may raise
:class:`writ_dsl.errors.LLMError`; the dialogue then ends as ``failed``.
"""

from __future__ import annotations

from typing import Protocol

from .messages import Conversation, Message


class UserRole(Protocol):
    def next_message(self, conversation: Conversation) -> Message:
        """The user's next text message (role ``user``); it may carry a stop token."""
        ...


class AgentRole(Protocol):
    def next_message(self, conversation: Conversation) -> Message:
        """The agent's next message (role ``assistant``): text for the user, or tool calls."""
        ...
