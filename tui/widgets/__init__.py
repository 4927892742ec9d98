"""Reusable widgets. They talk upward with nested Messages (HitList.Chosen, ContentsTree.Opened), downward with methods."""
