"""The scripted user's phrase banks: several wordings per move and per style, picked slot by slot."""

from __future__ import annotations

VAGUE = {
    "airline": ("I need some help with a trip.", "I have a question about my travel plans.",
                "can you help me with something about a flight?", "I need a hand with a reservation.",
                "I'm calling about my flights.", "I've got a travel issue I'd like sorted out.",
                "I'd like some help with a booking.", "there's something about my trip I need to deal with.",
                "I need to make some travel arrangements.", "I could use some help with my flights."),
    "retail": ("I need some help with an order.", "I have a question about my orders.",
               "could you help me with a purchase?", "I need a hand with something I ordered.",
               "I'm writing about one of my orders.", "there's an issue with my orders I'd like to fix.",
               "I'd like some help with my account's orders.", "I need to sort out a few things I bought.",
               "I have an order problem.", "could you look into my orders for me?"),
}
VAGUE_DEFAULT = ("I need some help with my account.", "I was hoping you could help me with something.",
                 "I have a request about my account.", "could you help me with something?")
GREETINGS = {
    "normal": ("Hi!", "Hello.", "Hi there.", "Hello there!", "Good morning.", "Good afternoon.", "Hey there.",
               "Hi, thanks for picking up.", "Hello, hope you can help.", "Hi, good day."),
    "chatty": ("Hi there, hope you're having a good day!", "Hello! Thanks so much for getting back to me.",
               "Oh hi, lovely to reach someone so quickly!", "Hello hello! Hope your day is going well.",
               "Hi! I hope you're not too busy today.", "Good morning! What a week it has been."),
}
INTRODUCTIONS = ("This is {name}.", "My name is {name}.", "I'm {name}.", "{name} here.", "It's {name} speaking.")
ASIDES = ("I've been meaning to sort this out all week.", "It's been a busy month, so thanks for your patience.",
          "My neighbour recommended calling you, by the way.", "I'm writing this between two errands.",
          "Sorry, my cat keeps walking over the keyboard.", "I just got back from the gym, so bear with me.",
          "My daughter usually handles this kind of thing for me.", "The weather here has been lovely lately.",
          "I'm on my lunch break, so this is perfect timing.", "I've had a cup of coffee, so I'm ready for this!",
          "I almost forgot about this until this morning.", "My partner keeps reminding me to get this done.",
          "Sorry if I'm rambling a bit today.", "I'm sitting in the garden while we do this.",
          "My phone battery is nearly flat, so fingers crossed.", "The kids are finally asleep, so I have a moment.",
          "I tried doing this on the website first, but gave up.", "I'm usually much more organised than this.",
          "It's raining here, so a good day for chores like this.", "I've got the radio on in the background.",
          "This is the last thing on my to-do list today.", "My sister said you were quick to help.")
HURRY = ("I'm in a hurry, so let's be quick.", "I don't have much time.", "Quickly please, I'm short on time.",
         "Let's make this fast, please.", "I need this done fast.", "I have a meeting in five minutes.",
         "Please keep it short.", "I'm short on time today.")
HURRY_LATER = ("Please hurry.", "Can we speed this up?", "Quickly, please.", "Let's move on.", "Faster, please.",
               "I really need to go soon.", "I'm running late.", "Let's keep this moving.", "Time is short.",
               "I have to leave in a minute.", "Can we wrap this up?", "Come on, quickly.")
CONNECTORS = ("I'd like to {verb}", "I want to {verb}", "I need to {verb}", "Please {verb}", "Could you {verb}",
              "Can you help me {verb}", "I'm hoping to {verb}", "I would like to {verb}", "Can you {verb}")
ASK_LEADS = ("Please let me know", "Could you tell me", "I'd also like to know", "Please tell me", "Let me know",
             "I'd like to hear")
INLINE_ASKS = ("tell me", "let me know", "please tell me")
PROBE_LEADS = ("Also, before we go on,", "Oh, and one more thing:", "Before anything else,", "By the way,",
               "One question first:", "While I have you,")
FACTS = {
    "user_id": ("My user ID is {v}.", "My user id is {v}.", "The user ID on my account is {v}.",
                "You'll find me under the user ID {v}.", "It's {v}, that's my user ID.", "User ID: {v}.",
                "I'm registered under the user ID {v}.", "My account's user ID is {v}.",
                "I believe my user ID is {v}.", "The user ID you need is {v}."),
    "email": ("My email is {v}.", "My email address is {v}.", "The email on my account is {v}.",
              "You can find me by my email, {v}.", "I use {v} as my email.", "The account email is {v}.",
              "Try my email address, {v}.", "I signed up with the email {v}.", "My email's {v}."),
    "zip": ("My zip code is {v}.", "The zip code is {v}.", "My zip code's {v}."),
    "card_last_four": ("The last four digits of my card are {v}.", "My card ends in {v}.",
                       "It's the card ending in {v}."),
    "date": ("The date is {v}.", "It's on {v}."),
    "flight_number": ("The flight number is {v}.", "It's flight {v}."),
    "first_name": ("My first name is {v}.", "First name: {v}.", "My first name's {v}."),
    "last_name": ("My last name is {v}.", "Last name: {v}.", "My surname is {v}."),
    "name": ("My name is {v}.", "I'm {v}.", "The name is {v}."),
}
FACT_DEFAULT = ("My {k} is {v}.", "The {k} is {v}.", "For the {k}: {v}.", "It's {v}, the {k}.")
# A confirmation is built from a yes, a go-ahead (naming what the agent proposed when the user can tell)
# and, by style, a closer; every yes holds a yes-word and no question mark.
YES = {
    "terse": ("Yes.", "Yes,", "Yep,", "Yes please,", "Confirmed, yes.", "Yes, correct."),
    "normal": ("Yes,", "Yes please,", "Yes, that's right.", "Yes, that's correct,", "Yes, sounds good.",
               "Yes, that works for me.", "Yes, that is what I want.", "Okay, yes,", "Sure, yes,", "Yes, I confirm.",
               "Yes, that looks right.", "Yes, that's fine.", "Right, yes.", "Yes, exactly."),
    "chatty": ("Oh yes,", "Yes, perfect,", "Yes! That's exactly what I was hoping for.", "Yes, wonderful.",
               "Yes, that all sounds right to me.", "Yes, absolutely,", "Oh, lovely, yes.", "Yes, brilliant,"),
    "impatient": ("Yes.", "Yes,", "Yes, fine.", "Yes, yes.", "Fine, yes.", "Yes, fine,"),
}
GO_AHEAD = {
    "terse": ("go ahead.", "do it.", "proceed.", "", "go ahead with {thing}."),
    "normal": ("please go ahead.", "go ahead.", "please proceed.", "you can go ahead with that.", "please do it.",
               "let's do it.", "go for it.", "please go ahead with {thing}.", "please proceed with {thing}.",
               "I'm happy with {thing}.", "{thing} is what I want, so go ahead.", "go ahead with {thing}, please.",
               "you have my okay for {thing}.", "I'd like you to go ahead with {thing}."),
    "chatty": ("please go ahead!", "go right ahead with {thing}.", "please do go ahead with {thing}.",
               "I'm really happy with {thing}, go ahead.", "please proceed.",
               "let's go ahead with {thing}!", "please do."),
    "impatient": ("go ahead.", "just do it.", "go.", "do it now.", "proceed.", "get on with it.")
}
CONFIRM_CLOSERS = {
    "terse": ("",),
    "normal": ("", "", "", "Thanks.", "Thank you.", "Thanks for checking with me.", "Appreciate it."),
    "chatty": ("Thank you so much!", "You're a star.", "Thanks for explaining it so clearly.",
               "You've been so helpful.", "I'm so relieved, thank you.", "That's a weight off my mind.",
               "Thanks for being so thorough."),
    "impatient": ("", "Quickly.", "Hurry.", "Fast, please.", "No delays."),
}
# What the agent proposes, by a word of its proposal: the user's name for it in a go-ahead.
ACTION_NOUNS = (
    ("cancel", ("the cancellation", "cancelling it")), ("exchange", ("the exchange", "exchanging it")),
    ("return", ("the return", "the return request")), ("book", ("the booking", "that booking")),
    ("upgrade", ("the upgrade", "upgrading")), ("address", ("the address change", "the new address")),
    ("bag", ("the bags", "adding the bags")), ("pay", ("the payment change", "that payment")),
    ("passenger", ("the passenger change", "updating the passengers")),
    ("flight", ("the flight change", "the new flights")), ("item", ("the item change", "swapping the items")),
    ("replace", ("the item change", "the swap")),
    ("certificate", ("the certificate", "the compensation")),
)
FACT_ACKS = ("", "", "", "Sure.", "Of course.", "Sure thing.", "No problem.", "Okay.", "Right.", "Certainly.",
             "Here you go.", "Let me see.", "Got it.", "Ah, right.")
DOUBT_LEADS = ("Hmm,", "Hold on,", "Before I say yes,", "Just a second,", "Hang on,", "Sorry, but", "Um,",
               "Before I agree,", "One moment,")
DOUBT_ASKS = ("could you double-check whether there is a better option?", "is that really the best choice for me?",
              "could you look at the alternatives once more?", "are you sure that's the right one?",
              "can you verify that once more?", "could you make sure that's right before we go on?",
              "would you mind checking again?", "can you take another look before we go on?",
              "could you consider the other options and check again?", "is there really nothing better?")
STOP = {
    "terse": ("No. Thanks.", "That's all.", "No, that's it.", "Nothing else.", "All done, thanks.", "No.",
              "That's it."),
    "normal": ("No, that's all. Thank you!", "That's everything, thanks for your help.", "No, that's all I needed.",
               "Nope, that covers it. Thanks!", "No, thank you. Have a nice day.", "That's it for today, thanks.",
               "No, I'm all set. Thanks a lot.", "Nothing more, thank you.", "No, that was everything. Bye!",
               "I think that's it, thanks.", "No, you've covered it all. Thank you.", "All good, thanks. Bye.",
               "That's all from me. Thanks for sorting it out.", "No thanks, that's everything I needed."),
    "chatty": ("No, that's everything! Thanks so much for your help, have a lovely day.",
               "Nope, that's all I needed. You've been very helpful, thank you!",
               "No, that's it! You made this so easy, thank you and take care.",
               "That's all for today. Thanks again, and enjoy the rest of your day!",
               "No more questions! I really appreciate your patience.",
               "No, I think we've done it all. Thanks a million, and have a good one!",
               "That's everything, you've been wonderful. Take care!",
               "Nope, all sorted! I'll tell my friends how helpful you were."),
    "impatient": ("No, that's it.", "No. Done, thanks.", "That's all. Bye.", "No. Thanks, bye.", "No, I'm done.",
                  "Nothing else. Bye.", "No, that's it, I have to run."),
}
ACCEPT_REFUSAL = ("Okay, I understand.", "Fair enough, no problem.", "Alright, I had to ask.",
                  "Oh well, understood.", "I see. Never mind then.", "Okay, that's fine.",
                  "Shame, but I get it.", "Understood, let's go on then.", "Ah, okay. Worth a try.",
                  "Right, I thought that might be the case.", "No worries, I understand the rules.",
                  "Pity, but fine.")
THANKS = ("Okay, thank you.", "Great, thanks.", "Alright, thank you.", "Thanks for letting me know.",
          "Okay, got it.", "Good to know, thanks.", "I see, thank you.", "Perfect, thanks.", "Okay, understood.",
          "Thanks, that helps.", "Alright.", "Noted, thank you.")
# Wordings of the same request, swapped in the user's words one phrase at a time (each keeps every value).
SWAPS = (
    (r"\bcredit card ending in\b", ("credit card ending in", "card ending in", "credit card that ends in")),
    (r"\bno checked bags\b", ("no checked bags", "no bags to check", "nothing to check in")),
    (r"\bno travel insurance\b", ("no travel insurance", "no insurance", "no trip insurance")),
    (r"\bI travel alone\b", ("I travel alone", "it's just me travelling", "I'm travelling on my own")),
    (r"\bby mistake\b", ("by mistake", "by accident", "in error")),
    (r"\bthe cheapest\b", ("the cheapest", "the least expensive", "the lowest-priced")),
    (r"\bin stock\b", ("in stock", "available")),
    (r"\bany difference\b", ("any difference", "any price difference", "whatever difference there is")),
    (r"\bleaving\b", ("leaving", "departing")),
    (r"\bwhatever it costs\b", ("whatever it costs", "price is no object")),
    (r"\bdirect flight\b", ("direct flight", "nonstop flight")),
    (r"\bupcoming trip\b", ("upcoming trip", "next trip", "trip coming up")),
    (r"\bshipped to\b", ("shipped to", "sent to", "delivered to")),
    (r"\bI don't know\b(?! (?:which|whether|what|how|if|where|when|who)\b)", ("I don't know", "I don't have", "I can't find")),
    (r"(?<=\()keep everything else\b", ("keep everything else", "the rest stays", "I'm keeping the rest")),
    (r"\bthe same flights\b", ("the same flights", "my current flights", "the flights I have")),
    (r"\bany fee on the same card\b", ("any fee on the same card", "any fee to that same card",
                                         "fees go on the same card", "charge any fee to the same card")),
    (r"\bwhat matters is\b", ("what matters is", "the priority is", "what I care about is", "the main thing is")),
    (r"\btake the cheaper\b", ("take the cheaper", "go with the cheaper one", "pick the cheaper one")),
    (r"\bdirect or with one stop\b", ("direct or with one stop", "nonstop or with a single stop",
                                        "direct or with one connection")),
    (r"\bI don't mind\b", ("I don't mind", "either is fine", "it doesn't matter to me", "both are okay")),
    (r"\btake the one that leaves first\b", ("take the one that leaves first", "pick the earlier departure",
                                               "go with whichever leaves first")),
    (r"\bonce it is booked\b", ("once it is booked", "after it's booked", "once the booking is done")),
    (r"\bonce that is fixed\b", ("once that is fixed", "after that's sorted", "once that's done")),
    (r"\bonce it is upgraded\b", ("once it is upgraded", "after the upgrade", "once the upgrade is done")),
    (r"\bon top of what is booked\b", ("on top of what is booked", "in addition to what I already have",
                                         "on top of what's already booked")),
    (r"\bthe payment method I used for the order\b", ("the payment method I used for the order",
                                                        "the same payment method as the order",
                                                        "whatever I paid for the order with")),
    (r"\bwhether I pay it or get it back\b", ("whether I pay it or get it back", "whether I owe it or get a refund",
                                                "whether it is owed or refunded")),
    (r"\bhow much the difference is\b", ("how much the difference is", "what the difference comes to")),
    (r"\bper traveller\b", ("per traveller", "for each traveller", "per passenger")),
    (r"\bthe fastest trip wins\b", ("the fastest trip wins", "speed matters most", "the quickest trip is best")),
    (r"\bif several trips are equally fast\b", ("if several trips are equally fast", "if there's a tie on speed",
                                                  "if some trips take equally long")),
    (r"\bis fine\b", ("is fine", "works for me", "is okay")),
    (r"\bas early as possible\b", ("as early as possible", "at the earliest time possible")),
)
