"""Customer tools: identify a customer, read their profile, change their default address."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from writ_dsl.env.wording import (Phrasing, address_text, distinct, join_words, money, named, one_of,
                                  payment_method_names)
from writ_dsl.env.core import State, Tool, ToolArgs, ToolError, ToolKind

from .records import address_record, get_user, record_view

USER_ID = "The customer's user id, for example 'sara_doe_496'."


class FindByEmailArgs(ToolArgs):
    email: str = Field(description="The customer's email address, for example 'someone@example.com'.")


class FindByNameZipArgs(ToolArgs):
    first_name: str = Field(description="The customer's first name, for example 'John'.")
    last_name: str = Field(description="The customer's last name, for example 'Doe'.")
    zip: str = Field(description="The zip code of the customer's default address, for example '12345'.")


class UserIdArgs(ToolArgs):
    user_id: str = Field(description=USER_ID)


class AddressArgs(ToolArgs):
    """A new address. Pydantic puts the fields of later bases first, so ``class X(AddressArgs, IdArgs)``
    takes the id and then the address."""

    address1: str = Field(description="First address line, for example '123 Main St'.")
    address2: str = Field(description="Second address line, for example 'Apt 1'; may be empty.")
    city: str = Field(description="City, for example 'San Francisco'.")
    state: str = Field(description="State, for example 'CA'.")
    country: str = Field(description="Country, for example 'USA'.")
    zip: str = Field(description="Zip code, for example '12345'.")


class ModifyUserAddressArgs(AddressArgs, UserIdArgs):
    pass


def find_user_id_by_email(state: State, args: FindByEmailArgs) -> str:
    wanted = args.email.lower()
    for user_id, user in state.items("users"):
        if user["email"].lower() == wanted:
            return user_id
    raise ToolError("User not found")


def find_user_id_by_name_zip(state: State, args: FindByNameZipArgs) -> str:
    first, last = args.first_name.lower(), args.last_name.lower()
    for user_id, user in state.items("users"):
        name = user["name"]
        same_name = name["first_name"].lower() == first and name["last_name"].lower() == last
        if same_name and user["address"]["zip"] == args.zip:
            return user_id
    raise ToolError("User not found")


def get_user_details(state: State, args: UserIdArgs) -> dict:
    return record_view(get_user(state, args.user_id))


def modify_user_address(state: State, args: ModifyUserAddressArgs) -> dict:
    get_user(state, args.user_id)
    user = state.edit("users", args.user_id)
    user["address"] = address_record(args)
    return record_view(user)


def _fill(options: tuple[str, ...], *key: object, **values: Any) -> str:
    """One wording of several, expanded by the key before its fields are filled (values stay verbatim)."""
    return one_of(options, *key).format(**values)


_BY_EMAIL = ("the account registered to {email}", "[the account|your account|the customer account] [registered to|"
             "under|linked to|tied to|that goes with] {email}", "the account [with|for] the email [address |]{email}",
             "[your|the] account [on file under|registered under|that matches] {email}",
             "the account [we have|on file] for {email}")
_BY_NAME = ("the account under your name and zip code",
            "[the account|your account|the customer account] [under|matching|that matches|filed under|for] your "
            "[name and zip code|full name and zip code|name and ZIP code|name and postal code]",
            "[the account|your account] [that goes with|on file for] your name and zip code",
            "the [account|record] [for|matching] [your name at your zip code|your name and the zip code you gave]")
_PROFILE = ("your profile", "your profile details", "your customer profile", "your profile record",
            "[your|the] [saved|stored] profile", "the profile you have with us")


def _by_email(calls: Any) -> str:
    return _fill(_BY_EMAIL, "looked up email", distinct(calls, "email"), email=distinct(calls, "email"))


def _by_name(calls: Any) -> str:
    return _fill(_BY_NAME, "looked up name", distinct(calls, "first_name"), distinct(calls, "zip"))


def _profile(calls: Any) -> str:
    return _fill(_PROFILE, "looked up profile", distinct(calls, "user_id"))


_DEFAULT_PROPOSAL = (
    "update the default address on your account to {address}",
    "[update|change|set|switch] [the default address on your account|your account's default address|your default "
    "address|the default address in your profile] to {address}",
    "[set|change] the default address [on file|saved on your account] to {address}",
    "[save|record] [a new|the new] default address [on your account|in your profile], {address}",
)


def _default_proposal(a: Any, name: Any) -> str:
    return _fill(_DEFAULT_PROPOSAL, "propose default address", a.get("user_id"), a.get("zip"),
                 address=address_text(a))


_DEFAULT_DONE = (
    "Your default address has been updated.",
    "Your account's default address is now {line}, {city}.",
    "I've saved {line} in {city} as your default address.",
    "From now on your default address is {line}, {city}, {state}.",
    "[I've|I have] [updated|changed] [your default address|the default address on your account] to {full}.",
    "[Your|The] default address [on your account|in your profile|on file] [is now|now reads|has been changed to] "
    "{full}.",
    "[{line}, {city}|{line} in {city}] [is now|has become|is now saved as] [your|the] default address [on your "
    "account|on file|in your profile].",
    "[The new|Your new] default address, {full}, [is saved|has been saved|is in place][ on your account|].",
    "[Your profile|Your account] now [has|shows|lists] {line}, {city} as [its|the] default address.",
)


def _default_done(a: Any, r: Any, name: Any) -> str:
    return _fill(_DEFAULT_DONE, "default", a.get("user_id"), a.get("address1"), a.get("zip"), line=a.get("address1"),
                 city=a.get("city"), state=a.get("state"), full=address_text(a))


EMAIL_PHRASING = Phrasing(looked_up=_by_email)
NAME_ZIP_PHRASING = Phrasing(looked_up=_by_name)
PROFILE_PHRASING = Phrasing(
    looked_up=_profile,
    names=lambda user: payment_method_names(user.get("payment_methods") if isinstance(user, dict) else None),
)
USER_ADDRESS_PHRASING = Phrasing(proposal=_default_proposal, done=_default_done)

TOOLS = [
    Tool(
        "find_user_id_by_email",
        ToolKind.READ,
        "Look up a customer's user id from their email address (case does not matter). "
        "Fails with an error when no customer has that email.",
        FindByEmailArgs,
        find_user_id_by_email,
        phrasing=EMAIL_PHRASING,
    ),
    Tool(
        "find_user_id_by_name_zip",
        ToolKind.READ,
        "Look up a customer's user id from their first name, last name and zip code. "
        "Use it only when the customer cannot be found by email or does not remember it.",
        FindByNameZipArgs,
        find_user_id_by_name_zip,
        phrasing=NAME_ZIP_PHRASING,
    ),
    Tool(
        "get_user_details",
        ToolKind.READ,
        "Return a customer's profile: name, default address, email, payment methods and order ids.",
        UserIdArgs,
        get_user_details,
        phrasing=PROFILE_PHRASING,
    ),
    Tool(
        "modify_user_address",
        ToolKind.WRITE,
        "Replace a customer's default address. Explain the change and get an explicit 'yes' "
        "from the customer first. Returns the updated profile.",
        ModifyUserAddressArgs,
        modify_user_address,
        phrasing=USER_ADDRESS_PHRASING,
    ),
]
